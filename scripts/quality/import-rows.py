#!/usr/bin/env python3
"""Write N generated ACLED-format rows (invented, 25,000 a year from 2018) to stdout.

    python3 scripts/quality/import-rows.py 100000 > big.csv

The same shape as the generator in tests/testsuite/import.rs: an armed clash in Mopti, Mali, one in
300 naming JNIM, coordinates inside Mali, a note of about a hundred characters.
"""
import sys

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
          "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
          "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
          "source_scale,notes,fatalities,tags,timestamp")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    out = sys.stdout
    out.write(HEADER + "\n")
    for i in range(n):
        year = 2018 + i // 25000
        day = i % 25000
        # One row in 300 names JNIM, each on a day of its own (rows sharing a group, a day
        # and a region would be possible duplicates of each other).
        if i % 300 == 0:
            k = day // 300
            m, d = 1 + k % 12, 1 + (k // 12) % 28
        else:
            m, d = 1 + day % 12, 1 + day % 28
        actor = ("JNIM: Group for Support of Islam and Muslims" if i % 300 == 0
                 else "Unidentified Armed Group (Mali)")
        lat = 14.0 + (i % 200) / 100.0
        lon = -4.0 + (i % 300) / 100.0
        out.write(
            f"GEN{i},{year}-{m:02}-{d:02},{year},1,Political violence,Battles,Armed clash,{actor},,2,"
            f"Military Forces of Mali,,1,12,,466,Western Africa,Mali,Mopti,Douentza,,Village {i % 997},"
            f"{lat:.4f},{lon:.4f},1,Generated Wire,National,\"Generated row {i} for the import test: "
            f"an armed clash near a village in Mopti, nobody real.\",{i % 7},,1700000000\n")


if __name__ == "__main__":
    main()
