# Reference values from R's survey for youthmedia's issue-16 tests: the R corners (lonely PSUs
# in JKn replicates and in domains, the Hadamard order of BRR/Fay, svychisq's X² scaling) and
# the estimators quantile, ratio, var, ttest, contrast, calibrate and trimWeights.
# The tests read stats_reference.csv and never need R.  Run: Rscript make_stats_reference.R
# The data "made in the test" are built here by the same arithmetic (no random numbers);
# tests/test_summaries.py::made_data() builds them again in Python.
suppressMessages(library(survey))
options(digits = 15)
cat("survey", as.character(packageVersion("survey")), "\n")   # 4.1.1 when frozen
data(api)
rows <- list()
add <- function(id, code, quantity, term, value) {
  if (length(term) == 0) term <- ""
  rows[[length(rows) + 1]] <<- data.frame(id = id, r_code = code, quantity = quantity,
                                          term = as.character(term), value = as.numeric(value))
}
est <- function(id, code) {
  x <- eval(parse(text = code))
  cf <- coef(x); s <- as.numeric(unlist(SE(x)))
  for (i in seq_along(cf)) {
    add(id, code, "estimate", names(cf)[i], cf[i])
    add(id, code, "se", names(cf)[i], s[i])
  }
  invisible(x)
}

# -- the made data: 120 rows, 12 strata of 10 rows (2 PSUs each, the higher id first in odd
#    strata), and 5 strata of 24 rows of which two hold a single PSU
i <- 0:119
made <- data.frame(
  h = i %/% 10 + 1,
  y = ((i * 37) %% 101) / 10 + (i %/% 10 + 1) / 3,
  x = as.numeric(((i * 13) %% 11) < 5),
  w = 1 + (i %% 7) / 2,
  s5 = i %/% 24 + 1
)
made$psu <- made$h * 10 + 1 + ((i + made$h) %% 2)
made$cl <- ifelse(made$s5 <= 3, 100 + i %/% 6, 200 + made$s5)
made$dom <- ifelse(made$s5 <= 2, "A", ifelse(made$s5 >= 4, "B", c("A", "B")[1 + i %% 2]))
made$r <- c("r1", "r2", "r3")[1 + (i * 5) %% 3]
made$c <- ifelse(i %% 9 == 0, NA,
                 ifelse(made$r == "r1" & i %% 4 != 1, "c1", c("c1", "c2")[1 + ((i * 7) %% 5 < 2)]))
made$r[i %% 11 == 3] <- NA
made$yna <- ifelse(i %% 13 == 5, NA, made$y)
write.csv(made, "stats_made_data.csv", row.names = FALSE)

# corner 1: JKn replicates under lonely_psu adjust / average
dl <- svydesign(id = ~cl, strata = ~s5, weights = ~w, data = made)
for (lp in c("adjust", "average", "remove")) {
  options(survey.lonely.psu = lp)
  rl <- as.svrepdesign(dl, type = "JKn")
  est(paste0("made_jkn_", lp, "_mean_y"), "svymean(~y, rl)")
  est(paste0("made_jkn_", lp, "_total_x"), "svytotal(~x, rl)")
  # corner 2: "average" inside a domain (Taylor)
  est(paste0("made_taylor_", lp, "_by_dom_mean_y"), "svyby(~y, ~dom, dl, svymean)")
  est(paste0("made_taylor_", lp, "_mean_y"), "svymean(~y, dl)")
}
# a calibrated design keeps every row in R's domain subset: all strata count for "average"
options(survey.lonely.psu = "average")
dlc <- calibrate(dl, ~x, c(`(Intercept)` = 500, x = 260))
est("made_taylor_average_calibrated_by_dom_mean_y", "svyby(~y, ~dom, dlc, svymean)")
options(survey.lonely.psu = "fail")

# corner 3: BRR / Fay with 12 strata (text order "1", "10", "11", "12", "2", ...)
made$hf <- factor(made$h)
db <- svydesign(id = ~psu, strata = ~hf, weights = ~w, data = made)
rb <- as.svrepdesign(db, type = "BRR")
add("made_brr_nrep", "ncol(rb$repweights$weights)", "n", "", ncol(rb$repweights$weights))
est("made_brr_mean_y", "svymean(~y, rb)")
est("made_brr_ratio_y_x", "svyratio(~y, ~x, rb)")
rf <- as.svrepdesign(db, type = "Fay", fay.rho = 0.3)
est("made_fay_mean_y", "svymean(~y, rf)")
est("made_fay_by_dom_mean_y", "svyby(~y, ~dom, rf, svymean)")

# corner 4: svychisq's X² counts every row (those missing on r or c too)
dc <- svydesign(id = ~1, weights = ~w, data = made)
for (st in c("Chisq", "F")) {
  code <- sprintf("svychisq(~r + c, dc, statistic = '%s')", st)
  t <- eval(parse(text = code))
  add(paste0("made_chisq_", st), code, "statistic", "", t$statistic)
  add(paste0("made_chisq_", st), code, "p", "", t$p.value)
}

# -- the estimators -------------------------------------------------------------------------
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
rclus1 <- as.svrepdesign(dclus1, type = "JK1")
rstrat <- as.svrepdesign(dstrat, type = "JKn")
quant <- function(id, code) {
  x <- eval(parse(text = code))
  for (v in names(x)) {
    m <- x[[v]]
    for (q in rownames(m)) {
      add(id, code, "estimate", q, m[q, 1]); add(id, code, "ci_low", q, m[q, 2])
      add(id, code, "ci_high", q, m[q, 3]); add(id, code, "se", q, m[q, 4])
    }
  }
}
quant("clus1_quantile_api00", "svyquantile(~api00, dclus1, c(0.1, 0.25, 0.5, 0.9))")
quant("strat_quantile_enroll", "svyquantile(~enroll, dstrat, c(0.5, 0.75))")
quant("clus1_jk1_quantile_api00", "svyquantile(~api00, rclus1, c(0.25, 0.5))")
quant("made_quantile_yna", "svyquantile(~yna, db, c(0.33, 0.5), na.rm = TRUE)")
for (g in c("E", "H", "M")) {
  quant(paste0("clus1_quantile_api00_stype_", g),
        sprintf("svyquantile(~api00, subset(dclus1, stype == '%s'), 0.5)", g))
  quant(paste0("strat_jkn_quantile_api00_stype_", g),
        sprintf("svyquantile(~api00, subset(rstrat, stype == '%s'), c(0.25, 0.5))", g))
}
est("clus1_ratio", "svyratio(~api.stu, ~enroll, dclus1)")
est("strat_ratio", "svyratio(~api.stu, ~enroll, dstrat)")
est("clus1_jk1_ratio", "svyratio(~api.stu, ~enroll, rclus1)")
est("clus1_by_stype_ratio", "svyby(~api.stu, ~stype, dclus1, svyratio, denominator = ~enroll)")
est("made_ratio_yna_x", "svyratio(~yna, ~x, db, na.rm = TRUE)")
est("clus1_var_api00", "svyvar(~api00, dclus1)")
est("strat_var_api00", "svyvar(~api00, dstrat)")
est("clus1_jk1_var_api00", "svyvar(~api00, rclus1)")
est("clus1_by_stype_var_api00", "svyby(~api00, ~stype, dclus1, svyvar)")
est("strat_jkn_by_stype_var_api00", "svyby(~api00, ~stype, rstrat, svyvar)")
est("made_var_yna", "svyvar(~yna, db, na.rm = TRUE)")
tt <- function(id, code) {
  t <- eval(parse(text = code))
  add(id, code, "estimate", "", t$estimate); add(id, code, "statistic", "", t$statistic)
  add(id, code, "df", "", t$parameter); add(id, code, "p", "", t$p.value)
  add(id, code, "ci_low", "", t$conf.int[1]); add(id, code, "ci_high", "", t$conf.int[2])
}
tt("clus1_ttest_api00_schwide", "svyttest(api00 ~ sch.wide, dclus1)")
tt("strat_ttest_api00_schwide", "svyttest(api00 ~ sch.wide, dstrat)")
tt("clus1_jk1_ttest_api00_schwide", "svyttest(api00 ~ sch.wide, rclus1)")
tt("made_ttest_yna_dom", "svyttest(yna ~ dom, db)")
tt("clus1_ttest_onesample_growth", "svyttest(I(api00 - api99) ~ 0, dclus1)")
est("strat_contrast_api00_api99", "svycontrast(svymean(~api00 + api99, dstrat), c(api00 = 1, api99 = -1))")
est("clus1_jk1_contrast_stype", "svycontrast(svyby(~api00, ~stype, rclus1, svymean, covmat = TRUE), c(E = 1, H = -0.5, M = -0.5))")
est("clus1_contrast_total_stype", "svycontrast(svytotal(~stype, dclus1), c(stypeE = 1, stypeH = 1))")

# calibrate (GREG, raking, logit; bounds) and trimWeights; then a mean, a total and a domain
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
cal <- list(
  linear = calibrate(dclus1, ~stype + api99, pop),
  linear_bounded = calibrate(dclus1, ~stype + api99, pop, bounds = c(0.45, 1.75)),
  raking = calibrate(dclus1, ~stype + api99, pop, calfun = "raking"),
  logit = calibrate(dclus1, ~stype + api99, pop, calfun = "logit", bounds = c(0.4, 2)),
  jk1_raking = calibrate(rclus1, ~stype + api99, pop, calfun = "raking")
)
for (nm in names(cal)) {
  d <- cal[[nm]]
  est(paste0("clus1_cal_", nm, "_mean_api00"), sprintf("svymean(~api00, cal$%s)", nm))
  est(paste0("clus1_cal_", nm, "_total_enroll"), sprintf("svytotal(~enroll, cal$%s, na.rm = TRUE)", nm))
  est(paste0("clus1_cal_", nm, "_by_stype_mean_api00"), sprintf("svyby(~api00, ~stype, cal$%s, svymean)", nm))
  w <- weights(d)
  add(paste0("clus1_cal_", nm, "_weights"), "weights", "min", "", min(w))
  add(paste0("clus1_cal_", nm, "_weights"), "weights", "max", "", max(w))
  add(paste0("clus1_cal_", nm, "_weights"), "weights", "sum_sq", "", sum(w^2))
}
popm <- c(`(Intercept)` = 120 * 5, x = 300, y = 4300)
est("made_cal_raking_mean_yna", "svymean(~yna, calibrate(db, ~x + y, popm, calfun = 'raking'), na.rm = TRUE)")
tw <- trimWeights(dstrat, upper = 40, lower = 20)
est("strat_trim_mean_api00", "svymean(~api00, tw)")
w <- weights(tw)
add("strat_trim_weights", "weights(tw)", "min", "", min(w)); add("strat_trim_weights", "weights(tw)", "max", "", max(w))
add("strat_trim_weights", "weights(tw)", "sum_sq", "", sum(w^2))
tw2 <- trimWeights(dstrat, upper = 40, lower = 20, strict = TRUE)
est("strat_trim_strict_mean_api00", "svymean(~api00, tw2)")
add("strat_trim_strict_weights", "weights(tw2)", "max", "", max(weights(tw2)))

write.csv(do.call(rbind, rows), "stats_reference.csv", row.names = FALSE)
