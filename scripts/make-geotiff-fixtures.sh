#!/usr/bin/env bash
# Regenerates the GeoTIFF fixtures in test/fixtures/io/ with GDAL and records what GDAL itself
# reports at sample pixels (gdallocationinfo for values and pixel/line of a lng/lat,
# gdaltransform for pixel-centre coordinates) in test/fixtures/io/geotiff_gdal_reference.json,
# so the tests compare readGeoTiff against GDAL without needing GDAL at test time.
#
# Needs: gdal-bin (Debian: apt-get install -y gdal-bin), python3 (only to write the JSON).
# Usage: bash scripts/make-geotiff-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test/fixtures/io
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export GDAL_PAM_ENABLED=NO  # no .aux.xml side files

# 1. A 10 x 8 Float32 grid over northern Thailand in EPSG:4326, 0.1 deg pixels, value = 100*row + col + 0.25,
#    NoData -9999 at (col 3, row 2). Written as an ESRI ASCII grid so the values are exact by construction.
{
  echo "ncols 10"; echo "nrows 8"; echo "xllcorner 98.0"; echo "yllcorner 18.0"; echo "cellsize 0.1"; echo "NODATA_value -9999"
  for r in $(seq 0 7); do
    line=""
    for c in $(seq 0 9); do
      if [ "$r" = 2 ] && [ "$c" = 3 ]; then v=-9999; else v="$((100 * r + c)).25"; fi
      line="$line $v"
    done
    echo "$line"
  done
} > "$TMP/grid.asc"
gdal_translate -q -of GTiff -ot Float32 -a_srs EPSG:4326 -co COMPRESS=DEFLATE "$TMP/grid.asc" "$OUT/grid_4326.tif"

# 2. The same field warped to EPSG:32647 (WGS 84 / UTM 47N), 5 km pixels, nearest neighbour.
gdalwarp -q -overwrite -t_srs EPSG:32647 -tr 5000 5000 -r near -srcnodata -9999 -dstnodata -9999 \
  -co COMPRESS=DEFLATE "$OUT/grid_4326.tif" "$OUT/grid_32647.tif"

# 3. The same field in EPSG:24047 (Indian 1975 / UTM 47N): checks the datum shift (towgs84) against PROJ.
gdalwarp -q -overwrite -t_srs EPSG:24047 -tr 5000 5000 -r near -srcnodata -9999 -dstnodata -9999 \
  -co COMPRESS=DEFLATE "$OUT/grid_4326.tif" "$OUT/grid_24047.tif"

# 3b. A CRS with no EPSG code (GeoKeys "user-defined"): Albers equal-area on WGS84. hazetrace refuses it
#     with E_CRS unless the caller passes the proj4 definition.
gdalwarp -q -overwrite -t_srs '+proj=aea +lat_1=15 +lat_2=20 +lat_0=10 +lon_0=100 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs' -tr 10000 10000 -r near \
  -srcnodata -9999 -dstnodata -9999 -co COMPRESS=DEFLATE "$OUT/grid_4326.tif" "$OUT/grid_aea_custom.tif"

# 4. Wind u and v: 3 bands (one per hour, band description = ISO UTC time), 6 x 5 pixels of 0.25 deg
#    over lon 98..99.5, lat 17.75..19. u = 1 + 0.5*col - 0.25*row + band, v = -2 + 0.1*col + 0.3*row - 0.5*band.
for comp in u v; do
  for b in 0 1 2; do
    {
      echo "ncols 6"; echo "nrows 5"; echo "xllcorner 98.0"; echo "yllcorner 17.75"; echo "cellsize 0.25"
      for r in $(seq 0 4); do
        line=""
        for c in $(seq 0 5); do
          if [ "$comp" = u ]; then v=$(python3 -c "print(1 + 0.5*$c - 0.25*$r + $b)"); else v=$(python3 -c "print(-2 + 0.1*$c + 0.3*$r - 0.5*$b)"); fi
          line="$line $v"
        done
        echo "$line"
      done
    } > "$TMP/${comp}_$b.asc"
  done
  {
    echo '<VRTDataset rasterXSize="6" rasterYSize="5">'
    echo '  <SRS>EPSG:4326</SRS>'
    echo '  <GeoTransform>98.0, 0.25, 0, 19.0, 0, -0.25</GeoTransform>'
    hour=0
    for b in 0 1 2; do
      echo "  <VRTRasterBand dataType=\"Float32\" band=\"$((b + 1))\">"
      printf '    <Description>2025-04-22T%02d:00:00Z</Description>\n' "$((b * 3))"
      echo "    <SimpleSource><SourceFilename relativeToVRT=\"1\">${comp}_$b.asc</SourceFilename><SourceBand>1</SourceBand></SimpleSource>"
      echo '  </VRTRasterBand>'
    done
    echo '</VRTDataset>'
  } > "$TMP/wind_$comp.vrt"
  gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co INTERLEAVE=BAND "$TMP/wind_$comp.vrt" "$OUT/wind_${comp}_4326.tif"
done

# 5. No georeferencing: a plain 4 x 3 image (value 7 everywhere) with no geotransform, tie point or SRS.
gdal_create -q -of GTiff -outsize 4 3 -bands 1 -ot Byte -burn 7 "$OUT/no_georef.tif"

# 6. A declared size far beyond the default 50,000,000-pixel budget (20,000 x 20,000 = 4e8 pixels)
#    that is tiny on disk: sparse tiles are never written.
gdal_create -q -of GTiff -outsize 20000 20000 -bands 1 -ot Byte -a_srs EPSG:4326 -a_ullr 90 30 110 10 \
  -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512 -co SPARSE_OK=TRUE -co COMPRESS=DEFLATE "$OUT/huge_sparse.tif"

# Reference values from GDAL itself.
python3 - "$OUT" <<'PY'
import json, subprocess, sys
out = sys.argv[1]

def run(*args, stdin=None):
    return subprocess.run(args, check=True, capture_output=True, text=True, input=stdin).stdout

ref = {"generator": "scripts/make-geotiff-fixtures.sh", "gdal": run("gdalinfo", "--version").strip(), "files": {}}
samples = {
    "grid_4326.tif": [(0, 0), (9, 7), (3, 2), (4, 5), (7, 1)],
    "grid_32647.tif": [(0, 0), (5, 5), (10, 12), (14, 3), (3, 17)],
    "grid_24047.tif": [(0, 0), (5, 5), (10, 12), (14, 3), (3, 17)],
    "grid_aea_custom.tif": [(0, 0), (3, 3), (6, 5), (9, 7)],
    "wind_u_4326.tif": [(0, 0), (5, 4), (2, 3)],
    "wind_v_4326.tif": [(0, 0), (5, 4), (2, 3)],
}
for name, pts in samples.items():
    path = f"{out}/{name}"
    info = json.loads(run("gdalinfo", "-json", path))
    bands = len(info["bands"])
    entry = {"size": info["size"], "geoTransform": info["geoTransform"], "bands": bands,
             "noData": info["bands"][0].get("noDataValue"),
             "bandDescriptions": [b.get("description", "") for b in info["bands"]],
             "pixels": [], "lngLat": []}
    for (c, r) in pts:
        if c >= info["size"][0] or r >= info["size"][1]:
            continue
        vals = []
        for b in range(1, bands + 1):
            vals.append(float(run("gdallocationinfo", "-valonly", "-b", str(b), path, str(c), str(r)).strip()))
        # pixel centre in WGS84 lng/lat as PROJ computes it (traditional GIS order: lng lat)
        # pixel centre in WGS84 lng/lat as PROJ computes it (gdaltransform prints lng lat)
        t = run("gdaltransform", path, "-t_srs", "EPSG:4326", stdin=f"{c + 0.5} {r + 0.5}\n").split()
        entry["pixels"].append({"col": c, "row": r, "values": vals, "lng": float(t[0]), "lat": float(t[1])})
    # lng/lat -> pixel/line and value as gdallocationinfo -wgs84 reports them
    gt = info["geoTransform"]
    for (c, r) in pts[:3]:
        if c >= info["size"][0] or r >= info["size"][1]:
            continue
        t = run("gdaltransform", path, "-t_srs", "EPSG:4326", stdin=f"{c + 0.3} {r + 0.7}\n").split()
        lng, lat = float(t[0]), float(t[1])
        xml = run("gdallocationinfo", "-xml", "-wgs84", path, repr(lng), repr(lat))
        import re
        m = re.search(r'<Report pixel="(\d+)" line="(\d+)"', xml)
        val = float(run("gdallocationinfo", "-valonly", "-wgs84", path, repr(lng), repr(lat)).strip().splitlines()[0])
        entry["lngLat"].append({"lng": lng, "lat": lat, "pixel": int(m.group(1)), "line": int(m.group(2)), "value": val})
    ref["files"][name] = entry
with open(f"{out}/geotiff_gdal_reference.json", "w") as f:
    json.dump(ref, f, indent=1)
    f.write("\n")
PY
ls -l "$OUT"/*.tif
