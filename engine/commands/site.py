"""`casecheck site DB_URL -o DIR`: a static site of the findings' history, built beside DIR and
swapped in at the end, so that a failed build leaves the earlier site whole. Reads only the
database. A DIR holding anything but an earlier casecheck site is refused unless --force."""

from __future__ import annotations

import os
import shutil
import tempfile

import click

from ..history.reader import History
from ..model import InputProblem
from ..views.site.build import MARKER, build
from .common import EXIT_INPUT, EXIT_OK, default_calendar


def _refusal(out_dir: str, force: bool) -> str | None:
    """Why DIR may not be written, or None."""
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        return f"{out_dir} exists and is not a folder; give a folder for the site"
    if os.path.islink(out_dir):
        return f"{out_dir} is a link; give the folder itself"
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        return f"the folder {parent} does not exist"
    if not os.access(parent, os.W_OK):
        return f"cannot write to {parent} (permission denied)"
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not os.path.isfile(os.path.join(out_dir, MARKER)) \
            and not force:
        return (f"{out_dir} holds files that are not a casecheck site; choose an empty or new folder, or give "
                f"--force to replace it")
    return None


def run_site(url: str, out_dir: str, split_by: str | None, force: bool) -> int:
    why = _refusal(out_dir, force)
    if why:
        click.echo(f"casecheck: {why}; nothing was written", err=True)
        return EXIT_INPUT
    try:
        h = History(url)
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        return EXIT_INPUT
    target = os.path.abspath(out_dir)
    parent, name = os.path.split(target)
    work = tempfile.mkdtemp(prefix=f".{name}.casecheck-tmp-", dir=parent)
    try:
        counts = build(h, work, default_calendar(), split_by_team=split_by == "team")
        os.chmod(work, 0o777 & ~_umask())
        old = None
        if os.path.isdir(target):
            old = tempfile.mkdtemp(prefix=f".{name}.casecheck-old-", dir=parent)
            os.rmdir(old)
            os.rename(target, old)
        os.rename(work, target)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except InputProblem as p:
        shutil.rmtree(work, ignore_errors=True)
        click.echo(f"casecheck: {p.error}; the site was not written", err=True)
        return EXIT_INPUT
    except OSError as e:
        shutil.rmtree(work, ignore_errors=True)
        click.echo(f"casecheck: cannot write the site to {out_dir}: {e.strerror or e}; nothing there was changed",
                   err=True)
        return EXIT_INPUT
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    click.echo(f"casecheck: site of {counts['cases']:,} cases with breaches written to {out_dir}"
               + (f" ({counts['sites']:,} team folders)" if split_by == "team" else ""), err=True)
    return EXIT_OK


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
