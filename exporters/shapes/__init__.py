"""Seeded synthetic scenes and videos of circles, squares and triangles (detection, segmentation)."""
