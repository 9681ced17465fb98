"""The explainer and promo videos, built from the content (issue 16).

``script`` reads content/video/<lang>.yaml and resolves its references into scenes of
plain text; ``drawing`` draws each scene as SVG; ``build`` rasterises, narrates, encodes
and writes the captions. ``manage.py build_videos`` runs it.
"""
