"""System checks: what the exports need from the machine."""

import shutil
import subprocess

from django.core.checks import Warning, register

from declarations.exports.pdf import font_family


@register("kexie")
def pdf_font_installed(app_configs, **kwargs):
    """PDF export prints with AR PL UMing; without it Chinese text falls back to other fonts."""
    if shutil.which("fc-list") is None:
        return [Warning("找不到 fontconfig（fc-list），无法确认 PDF 中文字体。", id="kexie.W001")]
    family = font_family()
    found = subprocess.run(
        ["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        return [
            Warning(
                f"未安装 PDF 导出所用的中文字体“{family}”。",
                hint="以 root 运行 apt-get install fonts-arphic-uming（make run / make test 会自动安装）。",
                id="kexie.W002",
            )
        ]
    return []
