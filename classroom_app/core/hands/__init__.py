"""Hands: palm detection, hand landmarks, tracking and gestures, on onnxruntime and OpenCV.

No Qt here: the demos, the command line and the benchmarks all use the same pipeline.
"""
