"""Offline classroom toolkit for AI general education."""

import os

# ONNX Runtime 1.29+ sends usage telemetry to Microsoft unless this is set before it
# starts. A classroom PC sends nothing anywhere except when the school syncs.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
