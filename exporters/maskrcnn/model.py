"""A Mask R-CNN small enough for two CPU cores, from torchvision's building blocks.

Backbone: five 3x3 convolutions (two of stride 2, two dilated for a receptive field as large as the
biggest shapes) giving one feature map at stride 4; no FPN, since the frames are small and one
level covers every object size here. Then torchvision's RPN (one anchor aspect, the sizes the
shapes have), RoI heads (box: two-layer MLP on 7x7 pooled features; mask: two 3x3 convolutions
on 14x14 pooled features, a 2x transposed convolution, one 28x28 sigmoid mask per class) and the
paper's losses: L = L_cls + L_box + L_mask, L_mask the per-pixel binary cross-entropy of the
ground-truth class's mask only (torchvision's ``maskrcnn_loss``).

``pooler="align"`` pools with RoIAlign (bilinear sampling, no quantisation); ``pooler="pool"``
with RoIPool (quantised bins, max pooling) in both heads, the paper's ablation (Table 2c).

The network takes normalised images (see ``data.normalise``) at exactly ``input_size``: the
transform inside torchvision's model is made the identity (mean 0, std 1, no resize), so the
exported graph and the training graph see the same tensor.
"""

from collections import OrderedDict

from torch import nn
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.rpn import AnchorGenerator
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.models.detection.faster_rcnn import TwoMLPHead, FastRCNNPredictor
from torchvision.ops import MultiScaleRoIAlign, roi_pool

from exporters.shapes.scenes import CLASSES

# Classes plus background (torchvision's label 0).
NUM_CLASSES = 1 + len(CLASSES)
FEATURE_STRIDE = 4
BOX_POOL = 7
MASK_POOL = 14
# The mask predictor doubles the pooled side.
MASK_SIZE = 2 * MASK_POOL
POOLERS = ("align", "pool")


class Backbone(nn.Module):
    """RGB -> one feature map at stride 4 under the key ``"0"``, as torchvision's heads expect."""

    def __init__(self, width):
        super().__init__()
        layers, channels = [], 3
        for out, stride, dilation in ((width // 2, 2, 1), (width, 1, 1), (width, 2, 1),
                                      (width, 1, 2), (width, 1, 4), (width, 1, 1)):
            layers += [nn.Conv2d(channels, out, 3, stride, padding=dilation, dilation=dilation),
                       nn.ReLU(inplace=True)]
            channels = out
        self.body = nn.Sequential(*layers)
        self.out_channels = width

    def forward(self, x):
        return OrderedDict([("0", self.body(x))])


class RoIPoolLevel(MultiScaleRoIAlign):
    """RoIPool (quantised bins, max) in MultiScaleRoIAlign's place, over the single stride-4 map.

    A subclass only because torchvision's MaskRCNN accepts nothing else as a pooler.
    """

    def __init__(self, output_size):
        super().__init__(featmap_names=["0"], output_size=output_size, sampling_ratio=0)
        self.pool_size = output_size

    def forward(self, features, proposals, image_shapes):
        return roi_pool(features["0"], proposals, self.pool_size, 1.0 / FEATURE_STRIDE)


def _pooler(kind, size):
    if kind == "align":
        return MultiScaleRoIAlign(featmap_names=["0"], output_size=size, sampling_ratio=2)
    if kind == "pool":
        return RoIPoolLevel(size)
    raise ValueError(f"unknown pooler {kind!r}; expected one of {POOLERS}")


def build_mask_rcnn(input_size, width=48, representation=128, mask_width=32, mask_convs=2,
                    pooler="align", detections_per_image=20):
    """The whole model; ``input_size`` is the side of the square images it is trained on."""
    backbone = Backbone(width)
    # One aspect (the shapes' boxes are near-square), sizes from the smallest to the largest shape.
    anchors = AnchorGenerator(sizes=((8, 16, 32, 64),), aspect_ratios=((1.0,),))
    mask_head = MaskRCNNHeads(width, (mask_width,) * mask_convs, 1)
    return MaskRCNN(
        backbone,
        num_classes=None,
        min_size=input_size, max_size=input_size,
        image_mean=[0.0, 0.0, 0.0], image_std=[1.0, 1.0, 1.0],
        rpn_anchor_generator=anchors,
        rpn_pre_nms_top_n_train=600, rpn_post_nms_top_n_train=300,
        rpn_pre_nms_top_n_test=300, rpn_post_nms_top_n_test=100,
        rpn_batch_size_per_image=128,
        box_roi_pool=_pooler(pooler, BOX_POOL),
        box_head=TwoMLPHead(width * BOX_POOL * BOX_POOL, representation),
        box_predictor=FastRCNNPredictor(representation, NUM_CLASSES),
        box_batch_size_per_image=64,
        box_score_thresh=0.05,
        box_detections_per_img=detections_per_image,
        mask_roi_pool=_pooler(pooler, MASK_POOL),
        mask_head=mask_head,
        mask_predictor=MaskRCNNPredictor(mask_width, mask_width, NUM_CLASSES),
    )


class ExportedMaskRcnn(nn.Module):
    """One normalised image [3, H, W] -> boxes [N, 4] (input pixels), labels [N] (int64, 1-based,
    0 is background), scores [N], masks [N, 1, 28, 28] (the label's sigmoid mask over its box).

    The transform is skipped (it is the identity here) and so is torchvision's mask pasting: the
    serving side pastes the 28x28 masks at the frame's own resolution.
    """

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, image):
        from torchvision.models.detection.image_list import ImageList

        images = image.unsqueeze(0)
        sizes = [(int(image.shape[-2]), int(image.shape[-1]))]
        features = self.model.backbone(images)
        proposals, _ = self.model.rpn(ImageList(images, sizes), features)
        detections, _ = self.model.roi_heads(features, proposals, sizes)
        found = detections[0]
        return found["boxes"], found["labels"], found["scores"], found["masks"]


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def mask_rcnn_losses(model, images, targets):
    """The multi-task loss terms torchvision computes; ``total`` is their sum."""
    losses = model(images, targets)
    return dict(losses, total=sum(losses.values()))

