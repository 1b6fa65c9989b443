"""`make lab` works: JupyterLab starts from the venv, serves the notebooks, and runs each one.

The test starts ``jupyter lab`` the way ``make lab`` does (plus ``--no-browser``, a free port and a
token), checks that it serves the Lab page with the plotly renderer extension, then opens a session for
each notebook through the server's REST API and runs its cells over the kernel's websocket, exactly as
the browser would. Each notebook must run without an error and display its plotly figures (the output
bundle carries the plotly JSON that Lab's renderer draws, and the HTML fragment the report uses).
The notebooks' outputs are redirected into a temporary folder (a cell after the parameters cell, as
papermill would inject it), so the run touches nothing in the repository.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests

from helpers import reporting
from helpers.paths import NOTEBOOKS_DIR, PROJ_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lab")]

JUPYTER = Path(sys.executable).parent / "jupyter"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab (as `make lab` starts it); yields (base url, token)."""
    if not JUPYTER.exists():
        pytest.fail(f"{JUPYTER} not found: the venv lacks jupyterlab (run `make setup`)")
    home = tmp_path_factory.mktemp("lab-home")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_CONFIG_DIR=str(home / "config"),
               IPYTHONDIR=str(home / "ipython"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen([str(JUPYTER), "lab", f"--notebook-dir={NOTEBOOKS_DIR}", "--no-browser",
                             "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}",
                             "--ServerApp.port_retries=0"] + (["--allow-root"] if os.geteuid() == 0 else []),
                            cwd=PROJ_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{(home / 'lab.log').read_text()[-3000:]}")
            try:
                if requests.get(f"{base}/api/status", params={"token": token}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within 120 s:\n{(home / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_lab_serves_the_notebooks_with_the_plotly_renderer(lab):
    base, token = lab
    page = requests.get(f"{base}/lab", params={"token": token}, timeout=30)
    assert page.ok and "JupyterLab" in page.text
    assert "jupyterlab-plotly" in page.text  # Lab draws application/vnd.plotly.v1+json natively
    listing = requests.get(f"{base}/api/contents", params={"token": token}, timeout=30).json()
    names = {item["name"] for item in listing["content"]}
    assert {p.name for p in reporting.notebooks()} <= names
    specs = requests.get(f"{base}/api/kernelspecs", params={"token": token}, timeout=30).json()
    assert "python3" in specs["kernelspecs"]
    assert requests.get(f"{base}/api/contents", timeout=30).status_code == 403  # the token is required


class Kernel:
    """A minimal Jupyter messaging client over the server's kernel websocket (JSON frames)."""

    def __init__(self, base: str, token: str, kernel_id: str):
        import websocket

        url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?token={token}"
        self.ws = websocket.create_connection(url, timeout=300)
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 300) -> list[dict]:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": self.session,
                       "version": "5.3", "date": "2026-01-01T00:00:00Z"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, idle, replied = [], False, False
        deadline = time.monotonic() + timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell did not finish in {timeout} s: {code[:80]!r}")
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if msg.get("channel") == "shell" and kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(dict(msg["content"], output_type=kind))
        return outputs

    def close(self):
        self.ws.close()


@pytest.mark.parametrize("notebook", [p.name for p in reporting.notebooks()])
def test_each_notebook_runs_in_lab_and_displays_plotly_figures(lab, notebook, tmp_path):
    base, token = lab
    session = requests.post(f"{base}/api/sessions", params={"token": token}, timeout=60, json={
        "path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": "python3"}}).json()
    kernel = Kernel(base, token, session["kernel"]["id"])
    try:
        nb = nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4)
        outputs = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            outputs += kernel.execute(cell.source)
            if "parameters" in cell.metadata.get("tags", []):  # what papermill would inject
                kernel.execute(f"tables = {str(tmp_path / 'tables')!r}\noutput = {str(tmp_path / 'out')!r}")
        errors = [o for o in outputs if o["output_type"] == "error"]
        if errors:
            trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors[0].get("traceback", [])))
            pytest.fail(f"{notebook}: {errors[0]['ename']}: {errors[0]['evalue']}\n{trace[-4000:]}")
        figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
        assert figures, f"{notebook} displayed no plotly figure"
        for fig in figures:
            spec = fig["data"]["application/vnd.plotly.v1+json"]
            assert spec["data"] and spec["layout"]["title"]["text"]
            assert 'id="fig-' in fig["data"]["text/html"]
        assert any(o["output_type"] == "stream" and ": " in o.get("text", "") for o in outputs)  # headline text
        assert list((tmp_path / "out").glob("*.png")), "charts were not saved"
    finally:
        kernel.close()
        requests.delete(f"{base}/api/sessions/{session['id']}", params={"token": token}, timeout=30)
