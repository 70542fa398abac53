"""One-case YAML files, the same cases as one-case JSON files and in one CSV log, made from the
first N cases of a log: the inputs of bench/run.py's yaml rows (`python bench/run.py --only yaml
--yaml-cases 5000`).

write_inputs(log, n, folder) writes FOLDER/ (one file per case, events as flow mappings, as people
write them) and FOLDER.csv (the same rows), unless FOLDER.csv is there already; write_json(flat,
folder) writes FOLDER/ with one JSON file per case of the CSV FLAT.
"""

import csv
import json
import os


def write_inputs(log: str, n: int, folder: str) -> tuple[str, str]:
    flat = folder + ".csv"
    if os.path.exists(flat):
        return folder, flat
    os.makedirs(folder, exist_ok=True)
    with open(log, newline="") as f, open(flat + ".part", "w", newline="") as out:
        r = csv.reader(f)
        header = next(r)
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        cases: dict[str, list] = {}
        for row in r:
            if row[0] not in cases and len(cases) == n:
                break
            cases.setdefault(row[0], []).append(row)
            w.writerow(row)
    for cid, rows in cases.items():
        with open(os.path.join(folder, f"{cid}.yaml"), "w") as y:
            y.write(f"case: {cid}\nevents:\n")
            for row in rows:
                extra = "".join(f", {h}: {v}" for h, v in zip(header[3:], row[3:]) if v)
                y.write(f"  - {{date: {row[1]}, type: {row[2]}{extra}}}\n")
    os.replace(flat + ".part", flat)  # the CSV last: its presence says the folder is whole
    return folder, flat


def write_json(flat: str, folder: str) -> str:
    """The cases of the CSV `flat` as one JSON file each in `folder` (kept when already whole)."""
    done = os.path.join(folder, ".whole")
    if os.path.exists(done):
        return folder
    os.makedirs(folder, exist_ok=True)
    cases: dict[str, list] = {}
    with open(flat, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        for row in r:
            cases.setdefault(row[0], []).append({"date": row[1], "type": row[2],
                                                 **{h: v for h, v in zip(header[3:], row[3:]) if v}})
    for cid, events in cases.items():
        with open(os.path.join(folder, f"{cid}.json"), "w") as out:
            json.dump({"case": cid, "events": events}, out, indent=1)
    open(done, "w").close()  # last: its presence says the folder is whole
    return folder
