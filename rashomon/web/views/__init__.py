"""One module per page type; each holds an ``APIRouter`` named ``router``."""
