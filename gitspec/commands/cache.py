"""`gitspec cache stats|gc`: what the store holds, and dropping what no stamp uses any more."""
from __future__ import annotations

import sys

from gitspec.opening import loaded_documents, open_workspace


def run(action: str) -> int:
    from gitspec.checker import check
    from gitspec.store import GenerationCache, ObjectStore

    workspace, index = open_workspace()
    objects = ObjectStore(workspace.store)
    cache = GenerationCache(workspace.store, objects)
    if action == "stats":
        count, size = objects.stats()
        sys.stdout.write(f"objects: {count} ({size:,} bytes)\ncache entries: {len(cache.keys())}\n"
                         f"parse index: {len(index.entries)} files\n")
        return 0
    check(workspace, index)
    used = set()
    for document in loaded_documents(index).values():
        stamps = document.header.get("generated")
        for stamp in (stamps.values() if isinstance(stamps, dict) else ()):
            if isinstance(stamp, dict) and isinstance(stamp.get("cache"), str):
                used.add(stamp["cache"])
    removed_entries = removed_objects = 0
    keep_objects = set()
    for key, digest in cache.keys().items():
        if key in used:
            keep_objects.add(digest)
        else:
            (cache.folder / key[:2] / key[2:]).unlink(missing_ok=True)
            removed_entries += 1
    if objects.folder.is_dir():
        for path in objects.folder.glob("??/*"):
            if path.parent.name + path.name not in keep_objects:
                path.unlink(missing_ok=True)
                removed_objects += 1
    sys.stdout.write(f"gitspec: removed {removed_entries} cache entries and {removed_objects} objects; "
                     f"kept {len(keep_objects)}\n")
    return 0
