# R's survey package on the benchmark's estimates (a peer of youthmedia, timed inside R).
# Usage: Rscript peers.R TASK DATA OUT_CSV OUT_JSON REPEATS BUDGET SELECTED XTAB
# Writes the estimates as CSV (group, variable, category, estimate, se; codes) and the
# timings (seconds around the estimation only, not the reading) as JSON.
suppressPackageStartupMessages({library(survey); library(haven); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
task <- args[1]; data_path <- args[2]; out_csv <- args[3]; out_json <- args[4]
repeats <- as.integer(args[5]); budget <- as.numeric(args[6])
selected <- strsplit(args[7], ",")[[1]]; xtab <- strsplit(args[8], ",")[[1]]
reps <- paste0("W_FSTURWT", 1:80)

peak_rss <- function() {
  st <- readLines("/proc/self/status")
  as.numeric(sub("[^0-9]*([0-9]+).*", "\\1", grep("^VmHWM", st, value = TRUE))) * 1024
}

read_codes <- function(cols) {
  d <- haven::read_sav(data_path, col_select = tidyselect::all_of(cols), user_na = FALSE)
  as.data.frame(lapply(d, function(x) as.numeric(haven::zap_labels(x))))
}

tidy_svyby <- function(res, v, levs) {
  # svyby's data frame: the group, then one column per level, then one SE per level
  res <- as.data.frame(res); K <- length(levs)
  est_cols <- names(res)[2:(K + 1)]; se_cols <- names(res)[(K + 2):(2 * K + 1)]
  data.frame(group = rep(as.numeric(as.character(res[[1]])), times = length(levs)),
             variable = v, category = rep(as.numeric(levs), each = nrow(res)),
             estimate = unlist(res[est_cols], use.names = FALSE),
             se = unlist(res[se_cols], use.names = FALSE))
}

shares <- function(des, vars, by) {
  out <- list(); t0 <- proc.time()[["elapsed"]]; done <- 0
  for (v in vars) {
    f <- as.formula(paste0("~", v))
    res <- svyby(f, as.formula(paste0("~", by)), des, svymean, na.rm = TRUE)
    out[[v]] <- tidy_svyby(res, v, levels(des$variables[[v]]))
    done <- done + 1
    el <- proc.time()[["elapsed"]] - t0
    if (done < length(vars) && el * (done + 1) / done > budget) break
  }
  list(frame = do.call(rbind, out), fraction = done / length(vars))
}

timed <- function(fun, n) {
  secs <- c(); res <- NULL
  for (i in seq_len(n)) {
    t0 <- proc.time()[["elapsed"]]; res <- fun(); secs <- c(secs, proc.time()[["elapsed"]] - t0)
    if (sum(secs) > budget) break
  }
  list(res = res, seconds = secs)
}

info <- list()
if (task %in% c("shares_rep", "shares_lin")) {
  d <- read_codes(c("CNT", "STRATUM", "CNTSCHID", selected, "W_FSTUWT", reps))
  for (v in selected) d[[v]] <- factor(d[[v]])
  if (task == "shares_rep") {
    des <- svrepdesign(data = d, weights = ~W_FSTUWT, repweights = "W_FSTURWT[0-9]+",
                       type = "Fay", rho = 0.5, combined.weights = TRUE, mse = FALSE)
  } else {
    des <- svydesign(ids = ~CNTSCHID, strata = ~STRATUM, weights = ~W_FSTUWT, data = d)
  }
  t <- timed(function() shares(des, selected, "CNT"), 1)
  frame <- t$res$frame
  info$fraction <- t$res$fraction
  if (info$fraction < 1) info$note <- sprintf("R ran %d of %d variables; time x %g",
                                               round(info$fraction * length(selected)),
                                               length(selected), 1 / info$fraction)
} else if (task == "crosstab") {
  d <- read_codes(c("STRATUM", "CNTSCHID", xtab, "W_FSTUWT"))
  for (v in xtab) d[[v]] <- factor(d[[v]])
  d <- d[!is.na(d[[xtab[1]]]) & !is.na(d[[xtab[2]]]), ]
  des <- svydesign(ids = ~CNTSCHID, strata = ~STRATUM, weights = ~W_FSTUWT, data = d)
  f <- as.formula(paste0("~", xtab[1], "+", xtab[2]))
  t <- timed(function() {
    test <- svychisq(f, des, statistic = "F")
    rows <- svyby(as.formula(paste0("~", xtab[2])), as.formula(paste0("~", xtab[1])), des, svymean)
    list(test = test, rows = rows)
  }, repeats)
  cells <- tidy_svyby(t$res$rows, xtab[2], levels(d[[xtab[2]]]))
  tst <- t$res$test
  frame <- rbind(cells, data.frame(group = -1, variable = c("test:F", "test:ndf", "test:ddf", "test:p"),
                                   category = -1, estimate = c(unname(tst$statistic),
                                   unname(tst$parameter[1]), unname(tst$parameter[2]), tst$p.value),
                                   se = 0))
} else if (task == "issue4") {
  d <- read.csv(data_path)
  d$y <- factor(d$y)
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  t <- timed(function() svyby(~y, ~g, des, svymean, na.rm = TRUE), repeats)
  frame <- tidy_svyby(t$res, "y", levels(d$y))
} else if (task == "summaries") {
  # issue 16's estimators by country on the Fay design (median, ratio, variance)
  d <- read_codes(c("CNT", "PV1MATH", "PV2MATH", "W_FSTUWT", reps))
  des <- svrepdesign(data = d, weights = ~W_FSTUWT, repweights = "W_FSTURWT[0-9]+",
                     type = "Fay", rho = 0.5, combined.weights = TRUE, mse = FALSE)
  t <- timed(function() list(
    q = svyby(~PV1MATH, ~CNT, des, svyquantile, quantiles = 0.5, ci = TRUE),
    r = svyby(~PV1MATH, ~CNT, des, svyratio, denominator = ~PV2MATH),
    v = svyby(~PV1MATH, ~CNT, des, svyvar)), 1)
  one <- function(res, name) {
    res <- as.data.frame(res)
    data.frame(group = as.numeric(as.character(res[[1]])), variable = name, category = -1,
               estimate = res[[2]], se = res[[ncol(res)]])
  }
  frame <- rbind(one(t$res$q, "median:PV1MATH"), one(t$res$r, "ratio:PV1MATH/PV2MATH"),
                 one(t$res$v, "var:PV1MATH"))
} else if (task %in% c("models_lin", "models_rep")) {
  # svyglm (quasibinomial, quasipoisson) and svyolr on the 4- and 5-point items of xtab
  x <- c("ESCS", "PV1MATH")
  d <- read_codes(c("STRATUM", "CNTSCHID", xtab, x, "W_FSTUWT", reps))
  d$y4 <- factor(d[[xtab[1]]]); d$high <- as.numeric(d[[xtab[1]]] >= 3); d$y5 <- d[[xtab[2]]]
  des <- if (task == "models_rep") {
    svrepdesign(data = d, weights = ~W_FSTUWT, repweights = "W_FSTURWT[0-9]+", type = "Fay",
                rho = 0.5, combined.weights = TRUE, mse = FALSE)
  } else svydesign(ids = ~CNTSCHID, strata = ~STRATUM, weights = ~W_FSTUWT, data = d)
  rhs <- paste(x, collapse = " + ")
  t <- timed(function() list(
    logit = svyglm(as.formula(paste("high ~", rhs)), des, family = quasibinomial()),
    poisson = svyglm(as.formula(paste("y5 ~", rhs)), des, family = quasipoisson()),
    # to the maximum: svyolr's BFGS stops by default ~1e-3 (relative) short of it with
    # predictors on a 0-1000 scale (PV1MATH); R's replicate refits still stop at the default
    olr = svyolr(as.formula(paste("y4 ~", rhs)), des, control = list(reltol = 1e-12))), 1)
  frame <- do.call(rbind, lapply(names(t$res), function(k) {
    m <- t$res[[k]]; cf <- coef(m)
    data.frame(group = -1, variable = paste0("model:", k, ":", seq_along(cf) - 1), category = -1,
               estimate = unname(cf), se = unname(sqrt(diag(vcov(m)))))
  }))
} else {
  stop(paste("unknown task", task))
}
info$seconds <- as.list(t$seconds)
info$peak_rss <- peak_rss()
info$r_version <- paste(R.version$major, R.version$minor, sep = ".")
info$survey_version <- as.character(packageVersion("survey"))
write.csv(frame, out_csv, row.names = FALSE)
writeLines(toJSON(info, auto_unbox = TRUE, digits = NA), out_json)
