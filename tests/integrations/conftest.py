from tests.retrieval.conftest import indexed  # noqa: F401
