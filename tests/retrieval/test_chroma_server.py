"""The Chroma server backend (POLICY_QA_CHROMA_URL): a real `chroma run` from the venv, built and searched
through HTTP, versioned collections switched by a rebuild."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip("chroma run is unavailable: no `chroma` executable next to the interpreter")
    port = _free_port()
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen(
        [
            str(exe),
            "run",
            "--path",
            str(tmp_path_factory.mktemp("chroma-server")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    import chromadb

    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:  # not up yet
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.skip(f"chroma run did not start: {proc.stderr.read().decode(errors='replace')[-300:]}")
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_build_and_search_through_a_chroma_server(chroma_url, tmp_path, index_settings, service):
    from assistant.retrieval.health import index_health
    from assistant.retrieval.index_builder import build_index, read_manifest
    from assistant.retrieval.service import HybridSearchService
    from assistant.retrieval.vector_store import http_client

    index = tmp_path / "index"
    index.mkdir()
    shutil.copy(index_settings.index_dir / "embedding-cache.npz", index / "embedding-cache.npz")
    settings = Settings(index_dir=index, corpus_dir=PROJECT_ROOT / "corpus", chroma_url=chroma_url)
    first = read_manifest(build_index(settings))
    assert first.chroma_url == chroma_url and not (index / "current" / "chroma").exists()

    svc = HybridSearchService(settings)
    top = svc.search("公共海外仓", top_k=1)[0]
    assert (top.policy_id, top.clause_id) == ("chiping-2022", "三（三）1")
    assert svc.search("齐鲁电商贷", top_k=1, policy_ids=["jining-2022"])[0].policy_id == "jining-2022"
    assert index_health(settings).ok

    # A rebuild writes a new versioned collection; the one a running reader uses stays until the next.
    second = read_manifest(build_index(settings, incremental=False))
    names = {getattr(c, "name", c) for c in http_client(chroma_url).list_collections()}
    assert {first.collection_name, second.collection_name} <= names
    assert svc.search("公共海外仓", top_k=1)[0].clause_id == "三（三）1"  # the old reader still answers
    third = read_manifest(build_index(settings, incremental=False))
    names = {getattr(c, "name", c) for c in http_client(chroma_url).list_collections()}
    assert first.collection_name not in names and {second.collection_name, third.collection_name} <= names

    # The collection gone from the server: health says so, and the service rebuilds it.
    http_client(chroma_url).delete_collection(third.collection_name)
    assert index_health(settings).status == "damaged"
    healed = HybridSearchService(settings)
    assert healed.manifest.collection_name != third.collection_name
    assert healed.search("智能快递柜", top_k=1)[0].clause_id == "三（四）3"
