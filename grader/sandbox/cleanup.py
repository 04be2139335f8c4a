"""Remove a folder tree of any depth, without following links, and without ever raising.

Why not ``shutil.rmtree``: up to Python 3.11 it recurses once per folder level, so a
submission (or a student's test run) that leaves a folder nested 1,000 deep makes it
raise ``RecursionError``, which ``ignore_errors=True`` does not catch; the batch died on
it, and every re-run died the same way. A tree a student made is hostile input:

* it can be arbitrarily deep, and deeper than ``PATH_MAX``: so the walk is iterative
  (an explicit stack of names), and on POSIX it works with one open folder at a time
  through ``dir_fd`` (never a long path, never one file descriptor per level);
* it can hold symbolic links to anything: links are removed, never followed; folders
  are opened with ``O_NOFOLLOW``, and going back up through ``..`` is checked against
  the folder we came from (same device and inode), so a folder moved away mid-removal
  stops the removal instead of deleting outside the tree;
* it can have folders the student made unreadable (``chmod 000``) or read-only: when
  a step is refused for lack of permission, the folder is given back ``0o700`` and the
  step is tried once more. As root no such fix is needed, whoever owns the files.

Whatever cannot be removed is reported as a sentence from the message catalogue, and
the removal goes on with the rest. Nothing here raises (``MemoryError`` included), so a
caller's cleanup step can never be what stops a class.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from ..messages import msg

MAX_REPORTED = 10
"""Failures listed one by one; the rest are counted in one sentence."""

_USE_FD = (
    {os.open, os.stat, os.unlink, os.rmdir} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
    and os.stat in os.supports_follow_symlinks
)
"""The POSIX way (Linux, macOS, BSD); Windows walks by path (see :func:`_remove_by_path`)."""

_DIR_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
              | getattr(os, "O_CLOEXEC", 0))
_PRIVATE_DIR = stat.S_IRWXU
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


class _Moved(Exception):
    """A folder was moved or replaced while we were inside it: stop, delete nothing more."""


@dataclass
class _Failures:
    shown: list[tuple[str, str, str]] = field(default_factory=list)
    more: int = 0

    def add(self, path: str, error: BaseException | str, key: str = "cleanup_failed") -> None:
        if len(self.shown) >= MAX_REPORTED:
            self.more += 1
            return
        if isinstance(error, OSError):
            text = error.strerror or str(error)
        elif isinstance(error, BaseException):
            text = f"{type(error).__name__}: {error}"
        else:
            text = error
        self.shown.append((key, _shown(path), text))

    def messages(self, lang: str | None) -> list[str]:
        out = [msg(key, lang, path=path, error=error) for key, path, error in self.shown]
        if self.more:
            out.append(msg("cleanup_more", lang, count=self.more))
        return out


def remove_tree(path: str | os.PathLike[str], *, lang: str | None = None) -> list[str]:
    """Remove ``path`` (a folder tree, a file or a link) and return what could not be removed.

    An empty list means ``path`` is gone (or was never there). Each item is a sentence
    for the instructor (in ``lang``); the rest of the tree is removed all the same.
    Never raises, whatever the tree holds.
    """
    failures = _Failures()
    top = os.fspath(path)
    try:
        if _USE_FD:
            _remove_fd(top, failures)
        else:
            _remove_by_path(top, failures)
    except _Moved as moved:
        failures.add(str(moved), "", "cleanup_moved")
    except Exception as exc:  # noqa: BLE001 - MemoryError and friends: reported, never raised
        failures.add(top, exc)
    try:
        return failures.messages(lang)
    except Exception:  # noqa: BLE001 - even a broken catalogue must not raise here
        return [f"{top}: {len(failures.shown) + failures.more} entries could not be removed"]


def _ident(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


# -- POSIX: one open folder at a time, names relative to it ----------------------------------


@dataclass
class _Frame:
    name: str
    ident: tuple[int, int]
    pending: list[str]
    """Subfolder names still to empty and remove."""


def _shown(path: str) -> str:
    """A path short enough for a sentence (a hostile tree's paths can be megabytes long)."""
    return path if len(path) <= 200 else f"{path[:80]}…{path[-100:]}"


class _Where:
    """The path of a name in the current folder, built only when a failure needs it (O(depth))."""

    def __init__(self, stack: list[_Frame]) -> None:
        self.stack = stack

    def __call__(self, *names: str) -> str:
        return _shown(os.path.join(*(f.name for f in self.stack), *names))


def _remove_fd(top: str, failures: _Failures) -> None:
    try:
        st = os.lstat(top)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        _unlink_path(top, failures)
        return
    try:
        fd = _open_top(top, st)
    except FileNotFoundError:
        return
    except OSError as exc:
        failures.add(_shown(top), exc)
        return
    stack: list[_Frame] = []
    where = _Where(stack)
    try:
        stack.append(_Frame(top, _ident(st), []))
        stack[-1].pending = _empty(fd, where, failures)
        while True:
            frame = stack[-1]
            if frame.pending:
                name = frame.pending.pop()
                child = _open_child(fd, name, where, failures)
                if child is None:
                    continue
                child_fd, ident = child
                os.close(fd)
                fd = child_fd
                stack.append(_Frame(name, ident, []))
                stack[-1].pending = _empty(fd, where, failures)
                continue
            stack.pop()
            if not stack:
                break
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            _check_or_close(parent, stack[-1].ident, where)
            os.close(fd)
            fd = parent
            _rmdir_at(fd, frame, where, failures)
    finally:
        os.close(fd)
    try:
        os.rmdir(top)
    except FileNotFoundError:
        pass
    except OSError as exc:
        failures.add(_shown(top), exc)


def _open_top(top: str, st: os.stat_result) -> int:
    try:
        fd = os.open(top, _DIR_FLAGS)
    except PermissionError:
        os.chmod(top, _PRIVATE_DIR)  # lstat said: a folder, not a link
        fd = os.open(top, _DIR_FLAGS)
    if _ident(os.fstat(fd)) != _ident(st):
        os.close(fd)
        raise _Moved(_shown(top))
    _make_usable(fd)
    return fd


def _make_usable(fd: int) -> None:
    """Give an open folder back ``u+rwx`` if it lacks it: a student may have made it read-only.

    Without write and search permission on a folder nothing in it can be removed (root
    excepted). Failing that (a folder of another user, for a non-root grader), each
    removal in it will say why.
    """
    try:
        if os.fstat(fd).st_mode & _PRIVATE_DIR != _PRIVATE_DIR:
            os.fchmod(fd, _PRIVATE_DIR)
    except OSError:
        pass


def _empty(fd: int, where: _Where, failures: _Failures) -> list[str]:
    """Unlink every non-folder in the open folder ``fd``; return its subfolders' names."""
    folders: list[str] = []
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    folders.append(entry.name)
                    continue
                try:
                    os.unlink(entry.name, dir_fd=fd)
                except FileNotFoundError:
                    pass
                except IsADirectoryError:
                    folders.append(entry.name)
                except OSError as exc:
                    failures.add(where(entry.name), exc)
    except OSError as exc:
        failures.add(where(), exc)
    return folders


def _open_child(fd: int, name: str, where: _Where, failures: _Failures) -> tuple[int, tuple[int, int]] | None:
    """Open subfolder ``name`` of ``fd`` without following a link; None if gone or not possible."""
    try:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):  # replaced by a file or a link since the scan: remove that
            os.unlink(name, dir_fd=fd)
            return None
        try:
            child = os.open(name, _DIR_FLAGS, dir_fd=fd)
        except PermissionError:  # a folder made unreadable (chmod 000): ours to open again
            _chmod_dir_at(fd, name)
            child = os.open(name, _DIR_FLAGS, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        failures.add(where(name), exc)
        return None
    _check_or_close(child, _ident(st), where, name)
    _make_usable(child)
    return child, _ident(st)


def _check_or_close(fd: int, ident: tuple[int, int], where: _Where, *names: str) -> None:
    """Keep ``fd`` open only if it is the folder ``ident`` we expect (else close it: moved)."""
    try:
        same = _ident(os.fstat(fd)) == ident
    except BaseException:
        os.close(fd)
        raise
    if not same:
        os.close(fd)
        raise _Moved(where(*names))


def _chmod_dir_at(fd: int, name: str) -> None:
    """``chmod 0o700`` on subfolder ``name``, not through a link where the OS allows saying so.

    Linux cannot refuse a link in ``fchmodat``; the caller has just seen a folder
    there, and only a non-root grader ever needs this (root opens any folder), so a
    link swapped in meanwhile could only touch the grader user's own files.
    """
    if os.chmod in os.supports_follow_symlinks:
        os.chmod(name, _PRIVATE_DIR, dir_fd=fd, follow_symlinks=False)
    else:
        os.chmod(name, _PRIVATE_DIR, dir_fd=fd)


def _rmdir_at(fd: int, frame: _Frame, where: _Where, failures: _Failures) -> None:
    """Remove the emptied folder ``frame.name`` from ``fd``, if it still is the one we emptied."""
    try:
        if _ident(os.stat(frame.name, dir_fd=fd, follow_symlinks=False)) != frame.ident:
            raise _Moved(where(frame.name))
        os.rmdir(frame.name, dir_fd=fd)
    except FileNotFoundError:
        pass
    except OSError as exc:
        failures.add(where(frame.name), exc)


def _unlink_path(path: str, failures: _Failures) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except PermissionError:
        try:  # Windows: a read-only file
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
            os.unlink(path)
        except OSError as exc:
            failures.add(path, exc)
    except OSError as exc:
        failures.add(path, exc)


# -- elsewhere (Windows): by path, still iterative --------------------------------------------


def _long(path: str) -> str:
    """On Windows, the ``\\\\?\\`` form of an absolute path, so a deep tree is not cut at 260 characters."""
    if os.name != "nt":
        return path
    path = os.path.abspath(path)
    if path.startswith("\\\\?\\"):
        return path
    if path.startswith("\\\\"):
        return "\\\\?\\UNC\\" + path[2:]
    return "\\\\?\\" + path


def _is_link(entry: os.DirEntry[str]) -> bool:
    """A symbolic link or (Windows) a junction: removed as itself, never entered."""
    if entry.is_symlink():
        return True
    try:
        attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & _REPARSE_POINT)


def _remove_link(path: str, failures: _Failures) -> None:
    try:
        if os.path.isdir(path):  # a link to a folder (or a junction) is removed with rmdir on Windows
            os.rmdir(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        _unlink_path(path, failures)


def _remove_by_path(top: str, failures: _Failures) -> None:
    top = _long(top)
    try:
        st = os.lstat(top)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or getattr(st, "st_file_attributes", 0) & _REPARSE_POINT:
        _remove_link(top, failures)
        return
    if not stat.S_ISDIR(st.st_mode):
        _unlink_path(top, failures)
        return
    stack: list[tuple[str, list[str]]] = [(top, _empty_path(top, failures))]
    while stack:
        folder, pending = stack[-1]
        if pending:
            child = os.path.join(folder, pending.pop())
            stack.append((child, _empty_path(child, failures)))
            continue
        stack.pop()
        try:
            os.rmdir(folder)
        except FileNotFoundError:
            pass
        except OSError as exc:
            failures.add(folder, exc)


def _empty_path(folder: str, failures: _Failures) -> list[str]:
    """Unlink every non-folder in ``folder`` (made ``u+rwx`` first if it lacks it); return its subfolders."""
    folders: list[str] = []
    try:
        if os.lstat(folder).st_mode & _PRIVATE_DIR != _PRIVATE_DIR:
            os.chmod(folder, _PRIVATE_DIR)
    except OSError:
        pass  # not ours to change: each removal in it will say why
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = os.path.join(folder, entry.name)
                if _is_link(entry):
                    _remove_link(path, failures)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                else:
                    _unlink_path(path, failures)
    except FileNotFoundError:
        pass
    except OSError as exc:
        failures.add(folder, exc)
    return folders
