"""Kinesis Video Streams ingest: :class:`VideoIngestStream`."""

from patterns.video.construct import VideoIngestStream

__all__ = ["VideoIngestStream"]
