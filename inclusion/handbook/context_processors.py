from .services import get_handbook


def content_version(request):
    """The loaded content's version: part of every cache key for rendered handbook content."""
    return {"content_version": get_handbook().version}
