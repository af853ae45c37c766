"""The example notebook (examples/workbench.ipynb) runs cell by cell on a real Jupyter kernel."""

from __future__ import annotations

import pytest

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


@pytest.mark.slow
def test_the_example_notebook_runs_without_errors() -> None:
    notebook = nbformat.read(ROOT / "examples" / "workbench.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("xxrules-ruleset" in o["data"]["text/html"] for o in html)
    assert any("xxrules-decision" in o["data"]["text/html"] for o in html)
    assert any("image/png" in o.get("data", {}) for o in outputs)
