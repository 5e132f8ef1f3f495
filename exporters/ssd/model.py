"""A small SSD: a width-reduced VGG-style base with extra layers, and 3x3 conv heads per map.

Every conv is 3x3 (+BatchNorm, which the ONNX export folds into the conv weights) and ReLU; the
base downsamples by strided convs rather than max-pooling, which costs nothing at this width and
keeps the graph to Conv/Relu/Transpose/Reshape/Concat. For a 160 x 160 input the detection maps
are 20 x 20 (stride 8), 10 x 10, 5 x 5 and 3 x 3, matching ``PriorConfig.feature_maps``.
"""

import torch
from torch import nn

from exporters.ssd.boxes import PriorConfig

NUM_CLASSES = 3  # circle, square, triangle; logits have one more column for background


def conv(inputs, outputs, stride=1, padding=1):
    return nn.Sequential(
        nn.Conv2d(inputs, outputs, 3, stride=stride, padding=padding, bias=False),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    )


class SSD(nn.Module):
    """Outputs raw heads: ``boxes`` (batch, P, 4) regressions and ``logits`` (batch, P, 1 + C).

    ``width`` is the channel count at stride 4; maps at stride 8 and beyond have twice that.
    """

    def __init__(self, width=32, num_classes=NUM_CLASSES, priors=PriorConfig()):
        super().__init__()
        if len(priors.feature_maps) != 4:
            raise ValueError(f"this base has 4 detection maps, got {priors.feature_maps}")
        self.num_classes = num_classes
        self.priors = priors
        wide = 2 * width
        self.base = nn.Sequential(
            conv(3, width // 2, stride=2),  # 80
            conv(width // 2, width, stride=2),  # 40
            conv(width, width),
            conv(width, wide, stride=2),  # 20
            conv(wide, wide),
        )
        self.extras = nn.ModuleList([
            conv(wide, wide, stride=2),  # 10
            conv(wide, wide, stride=2),  # 5
            conv(wide, wide, padding=0),  # 3
        ])
        anchors = priors.per_location
        self.box_heads = nn.ModuleList(
            [nn.Conv2d(wide, anchors * 4, 3, padding=1) for _ in priors.feature_maps])
        self.class_heads = nn.ModuleList(
            [nn.Conv2d(wide, anchors * (1 + num_classes), 3, padding=1)
             for _ in priors.feature_maps])

    def forward(self, images):
        features = [self.base(images)]
        for layer in self.extras:
            features.append(layer(features[-1]))
        # Prior counts per map as Python ints, so the traced graph has static reshapes.
        counts = [size * size * self.priors.per_location for size in self.priors.feature_maps]
        boxes = [_flatten(head(f), count, 4)
                 for head, f, count in zip(self.box_heads, features, counts)]
        logits = [_flatten(head(f), count, 1 + self.num_classes)
                  for head, f, count in zip(self.class_heads, features, counts)]
        return torch.cat(boxes, dim=1), torch.cat(logits, dim=1)


def _flatten(head_output, count, columns):
    """(batch, A * columns, H, W) -> (batch, H * W * A, columns): row, column, then prior kind.

    The batch size is left to the reshape (-1) so the exported graph keeps a dynamic batch axis
    and a static prior count.
    """
    return head_output.permute(0, 2, 3, 1).reshape(-1, count, columns)
