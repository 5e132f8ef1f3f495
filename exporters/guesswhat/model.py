"""The three GuessWhat?! networks, small: oracle, question generator (QGen) and guesser."""

import torch
from torch import nn

from exporters.guesswhat.game import (
    ANSWERS,
    CATEGORIES,
    COLOURS,
    NA,
    NO,
    OBJECT_FEATURES,
    PAD,
    PAD_ID,
    SPATIAL,
    START,
    TOKEN_IDS,
    VOCABULARY,
    YES,
)

# Added to the logits of tokens the questioner never says (the oracle supplies the answers).
BANNED_LOGIT = -1e9
BANNED_TOKENS = (PAD, START, YES, NO, NA)


def last_state(states, lengths):
    """states [B, T, H] at position lengths - 1, as a gather that exports to ONNX GatherElements.

    Indexing, not squeeze: squeezing an axis of unknown size exports as an ONNX If.
    """
    index = (lengths - 1).clamp(min=0).view(-1, 1, 1).expand(-1, 1, states.shape[2])
    return states.gather(1, index)[:, 0]


class Oracle(nn.Module):
    """LSTM over the question; its last state, the target's category and colour embeddings and
    its 8 spatial features go through one hidden layer to {yes, no, n/a} logits."""

    def __init__(self, embedding=32, hidden=128, attribute=16, mlp=128):
        super().__init__()
        self.words = nn.Embedding(len(VOCABULARY), embedding, padding_idx=PAD_ID)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.category = nn.Embedding(len(CATEGORIES), attribute)
        self.colour = nn.Embedding(len(COLOURS), attribute)
        self.mlp = nn.Sequential(nn.Linear(hidden + 2 * attribute + len(SPATIAL), mlp), nn.ReLU(),
                                 nn.Linear(mlp, len(ANSWERS)))

    def forward(self, tokens, lengths, category, colour, spatial):
        states, _ = self.lstm(self.words(tokens))
        question = last_state(states, lengths)
        return self.mlp(torch.cat([question, self.category(category), self.colour(colour),
                                   spatial], dim=1))


class QGen(nn.Module):
    """LSTM language model over the dialogue, each step's input the word embedding concatenated
    with the scene encoding (mean over real objects of an MLP of their features); zero initial
    state. Tokens the questioner never says get BANNED_LOGIT inside the model."""

    def __init__(self, embedding=32, hidden=128, scene=64):
        super().__init__()
        self.hidden_size = hidden
        self.objects = nn.Sequential(nn.Linear(OBJECT_FEATURES, scene), nn.ReLU(),
                                     nn.Linear(scene, scene))
        self.words = nn.Embedding(len(VOCABULARY), embedding, padding_idx=PAD_ID)
        self.lstm = nn.LSTM(embedding + scene, hidden, batch_first=True)
        self.out = nn.Linear(hidden, len(VOCABULARY))
        banned = torch.zeros(len(VOCABULARY))
        banned[[TOKEN_IDS[token] for token in BANNED_TOKENS]] = BANNED_LOGIT
        self.register_buffer("banned", banned)

    def encode_scene(self, objects, mask):
        embedded = self.objects(objects) * mask.unsqueeze(2)
        return embedded.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1.0)

    def forward(self, tokens, scene, state=None):
        """Teacher-forced logits [B, T, V] and the final (h, c), each [1, B, H]."""
        steps = tokens.shape[1]
        inputs = torch.cat([self.words(tokens), scene.unsqueeze(1).expand(-1, steps, -1)], dim=2)
        outputs, state = self.lstm(inputs, state)
        return self.out(outputs) + self.banned, state

    def step(self, token, h, c, scene):
        """One word: token [B], h and c [B, H] -> logits [B, V], h', c'."""
        logits, (h, c) = self(token.unsqueeze(1), scene, (h.unsqueeze(0), c.unsqueeze(0)))
        return logits[:, 0], h[0], c[0]

    def initial_state(self, batch):
        zeros = torch.zeros(batch, self.hidden_size)
        return zeros, zeros.clone()


class Guesser(nn.Module):
    """LSTM encoding of the whole dialogue, dotted with an MLP embedding of every object's
    features; padding objects (mask 0) get BANNED_LOGIT."""

    def __init__(self, embedding=32, hidden=128, mlp=128):
        super().__init__()
        self.words = nn.Embedding(len(VOCABULARY), embedding, padding_idx=PAD_ID)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.objects = nn.Sequential(nn.Linear(OBJECT_FEATURES, mlp), nn.ReLU(),
                                     nn.Linear(mlp, hidden))

    def forward(self, tokens, lengths, objects, mask):
        states, _ = self.lstm(self.words(tokens))
        dialogue = last_state(states, lengths)
        scores = torch.bmm(self.objects(objects), dialogue.unsqueeze(2))[:, :, 0]
        return scores + (1.0 - mask) * BANNED_LOGIT
