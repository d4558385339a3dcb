"""sdkgen: turn OpenAPI 3.x and AsyncAPI documents into a typed Python SDK.

The pipeline, one package per stage:

    settings  ->  load (read, $ref, overlays, validate)  ->  normalise (to IR)
              ->  render (Jinja templates)  ->  format (ruff)  ->  write (atomic swap)
"""
