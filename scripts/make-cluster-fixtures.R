# Parity fixtures for hazetrace's trajectory clustering (src/attribution/cluster.ts).
#
# Builds ~60 small synthetic back-trajectories near Chiang Mai, computes the two openair-style
# distance matrices (formulas written here from openair's documented definitions in
# src/cluster.cpp distEuclid/distAngle, as trajCluster calls them: first matrix = longitudes,
# second = latitudes, rows running from the oldest hour to the receptor) and runs R's
# cluster::pam(as.dist(d), k, diss = TRUE) for k = 3..6.
#
# Run with scripts/make-cluster-fixtures.sh (needs Debian's r-base-core and r-cran-cluster).
# Output: test/fixtures/cluster/openair-pam.json
suppressPackageStartupMessages(library(cluster))

set.seed(20240313)
n_traj <- 60
n_pts <- 13 # 12 hourly steps back + the receptor
rec_lon <- 98.98
rec_lat <- 18.79

# pathway families: bearing (degrees clockwise from north) the air came from, and speed (deg/hour)
bearings <- c(270, 235, 200, 300, 160)
speeds <- c(0.18, 0.12, 0.09, 0.15, 0.07)
family <- sample(seq_along(bearings), n_traj, replace = TRUE)

# lon/lat matrices: one column per trajectory, rows from the oldest point (row 1) to the receptor (row n_pts)
lon <- matrix(0, nrow = n_pts, ncol = n_traj)
lat <- matrix(0, nrow = n_pts, ncol = n_traj)
for (t in seq_len(n_traj)) {
  f <- family[t]
  b <- (bearings[f] + rnorm(1, 0, 12)) * pi / 180
  v <- speeds[f] * exp(rnorm(1, 0, 0.2))
  curl <- rnorm(1, 0, 0.02)
  for (r in seq_len(n_pts)) {
    age <- n_pts - r # hours before arrival
    bb <- b + curl * age
    lon[r, t] <- rec_lon + v * age * sin(bb) / cos(rec_lat * pi / 180) + if (age > 0) rnorm(1, 0, 0.02) else 0
    lat[r, t] <- rec_lat + v * age * cos(bb) + if (age > 0) rnorm(1, 0, 0.02) else 0
  }
}

# openair "Euclid": called as (lon, lat); for columns i < j the per-point term is
# 110 * sqrt((lon_i - lon_j)^2 + ((lat_i - lat_j) * cos(lon_i in radians))^2), summed over points.
dist_openair_euclid <- function(x, y) {
  n <- ncol(x)
  d <- matrix(0, n, n)
  for (i in seq_len(n)) {
    for (j in seq_len(n)) {
      if (j > i) {
        dx <- x[, i] - x[, j]
        dy <- y[, i] - y[, j]
        d[j, i] <- sum(110 * sqrt(dx^2 + (dy * cos(x[, i] * pi / 180))^2))
      }
    }
  }
  d
}

# openair "Angle": origin = receptor (last row) of the first trajectory; mean over all rows but the last
# of the angle at the origin between the two trajectories' points (law of cosines in degree space).
dist_openair_angle <- function(x, y) {
  n <- ncol(x)
  m <- nrow(x)
  x0 <- x[m, 1]
  y0 <- y[m, 1]
  d <- matrix(0, n, n)
  rows <- seq_len(m - 1)
  for (i in seq_len(n)) {
    for (j in seq_len(n)) {
      if (j > i) {
        a <- (x[rows, i] - x0)^2 + (y[rows, i] - y0)^2
        b <- (x[rows, j] - x0)^2 + (y[rows, j] - y0)^2
        c <- (x[rows, j] - x[rows, i])^2 + (y[rows, j] - y[rows, i])^2
        cosang <- pmin(1, pmax(-1, 0.5 * (a + b - c) / sqrt(a * b)))
        d[j, i] <- sum(acos(cosang)) / (m - 1)
      }
    }
  }
  d[is.na(d)] <- 0
  d
}

num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
int <- function(v) paste0("[", paste(as.integer(v), collapse = ","), "]")

modes <- list(
  "euclid-openair" = dist_openair_euclid(lon, lat),
  "angle-openair" = dist_openair_angle(lon, lat)
)

parts <- c()
for (mode in names(modes)) {
  d <- modes[[mode]]
  dd <- as.dist(d)
  runs <- c()
  for (k in 3:6) {
    p <- pam(dd, k, diss = TRUE)
    runs <- c(runs, sprintf(
      '{"k":%d,"medoids":%s,"clustering":%s,"objective":%s}',
      k, int(p$id.med), int(p$clustering), num(unname(p$objective))
    ))
  }
  parts <- c(parts, sprintf(
    '"%s":{"dist":%s,"pam":[%s]}', mode, num(as.vector(dd)), paste(runs, collapse = ",")
  ))
}

# trajectories in hazetrace's point order (receptor first, then older points)
lon_h <- lon[n_pts:1, , drop = FALSE]
lat_h <- lat[n_pts:1, , drop = FALSE]
json <- paste0(
  "{",
  '"about":"made by scripts/make-cluster-fixtures.R with R ', R.version$major, ".", R.version$minor,
  " and cluster ", as.character(packageVersion("cluster")),
  '; dist = R dist vector (lower triangle by columns); medoids/clustering 1-based as R prints them",',
  '"nTraj":', n_traj, ',"nPoints":', n_pts, ",",
  '"family":', int(family), ",",
  '"lng":', num(as.vector(lon_h)), ",",
  '"lat":', num(as.vector(lat_h)), ",",
  paste(parts, collapse = ","),
  "}"
)
out <- "test/fixtures/cluster/openair-pam.json"
writeLines(json, out)
cat("wrote", out, "\n")
