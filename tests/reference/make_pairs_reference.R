# Reference values from R's survey for the headline's group test (issue 15): the difference of
# two domain estimates with the design covariance between them, svyby(..., covmat = TRUE)
# followed by svycontrast, and its two-sided t-test p on the largest domain degrees of freedom
# (degf of the subset design of each group, the df of R's svyciprop per group; the design's own
# df whenever one group spans every PSU).
# The tests (tests/test_scales.py::test_pair_test_matches_r) read pairs_reference.csv and
# never need R.  Run in tests/reference/: Rscript make_pairs_reference.R
suppressMessages(library(survey))
options(digits = 15)
cat("survey", as.character(packageVersion("survey")), "\n")   # 4.1.1 when frozen
data(api)
rows <- list()
pair <- function(id, by_code, design, coefs) {
  b <- eval(parse(text = by_code))
  df <- max(sapply(levels(design$variables$stype),
                   function(g) degf(subset(design, stype == g))))
  k <- svycontrast(b, coefs)
  est <- as.numeric(coef(k)); se <- as.numeric(SE(k))
  p <- 2 * pt(-abs(est / se), df)
  rows[[length(rows) + 1]] <<- data.frame(
    id = id, r_code = by_code, contrast = paste(names(coefs), coefs, sep = "=", collapse = ";"),
    estimate = est, se = se, p = p, df = df)
}
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
dclus2 <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
rclus1 <- as.svrepdesign(dclus1, type = "JK1")   # its weights: api/apiclus1_jk1_weights.csv
apiclus1$lev3 <- cut(apiclus1$api00, c(-Inf, 600, 700, Inf), labels = c("low", "mid", "high"))
dlev <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)

sw <- "svyby(~sch.wide, ~stype, dclus1, svymean, covmat = TRUE)"
pair("clus1_schwide_E_H", sw, dclus1, c("E:sch.wideYes" = 1, "H:sch.wideYes" = -1))
pair("clus1_schwide_E_M", sw, dclus1, c("E:sch.wideYes" = 1, "M:sch.wideYes" = -1))
pair("clus1_schwide_H_M", sw, dclus1, c("H:sch.wideYes" = 1, "M:sch.wideYes" = -1))
mn <- "svyby(~api00, ~stype, dclus1, svymean, covmat = TRUE)"
pair("clus1_api00_E_M", mn, dclus1, c(E = 1, M = -1))
aw <- "svyby(~awards, ~stype, dclus2, svymean, covmat = TRUE)"
pair("clus2_awards_E_M", aw, dclus2, c("E:awardsYes" = 1, "M:awardsYes" = -1))
lv <- "svyby(~lev3, ~stype, dlev, svymean, covmat = TRUE)"
pair("clus1_lev3_midhigh_E_H", lv, dlev, c("E:lev3mid" = 1, "E:lev3high" = 1,
                                           "H:lev3mid" = -1, "H:lev3high" = -1))
rp <- "svyby(~api00, ~stype, rclus1, svymean, covmat = TRUE)"
pair("clus1_jk1_api00_E_H", rp, rclus1, c(E = 1, H = -1))
write.csv(do.call(rbind, rows), "pairs_reference.csv", row.names = FALSE)
