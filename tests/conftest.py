import os

from hypothesis import settings

settings.register_profile("qcoord", max_examples=40, deadline=None)
settings.load_profile("qcoord")
os.environ.setdefault("QCOORD_PROGRESS", "0")
