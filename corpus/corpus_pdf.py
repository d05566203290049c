"""Export corpus PPTX files to PDF with one headless LibreOffice call and a throwaway profile."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def convert_to_pdf(pptx_paths: list[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Export PPTX files to PDF with one headless LibreOffice call and a throwaway profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="deckmine-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *[str(path) for path in pptx_paths],
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    pdf_paths = [out_dir / (path.stem + ".pdf") for path in pptx_paths]
    missing = [path.name for path in pdf_paths if not path.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write: {', '.join(missing)}")
    return pdf_paths
