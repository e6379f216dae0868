# Further reference values from R's survey (4.1.1) for youthmedia's tests, beyond
# ../shared/reference: multistage fpc, replicates built from designs, lonely PSUs, domain
# intervals, replicate calibration, contrasts between domains. Frozen: the tests read
# extra_reference.csv and never need R.  Run: Rscript make_extra_reference.R
suppressMessages(library(survey))
options(digits = 15)
data(api)
rows <- list()
add <- function(id, code, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(id = id, r_code = code, quantity = quantity,
                                          term = term, value = as.numeric(unlist(value))[1])
}
est <- function(id, code) {
  x <- eval(parse(text = code))
  cf <- coef(x); s <- as.numeric(unlist(SE(x)))
  for (i in seq_along(cf)) {
    add(id, code, "estimate", names(cf)[i], cf[i])
    add(id, code, "se", names(cf)[i], s[i])
  }
}
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
d2f <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)

# multistage with an fpc at both stages (full recursion, not ultimate clusters)
est("clus2fpc_mean_api00", "svymean(~api00, d2f)")
est("clus2fpc_total_enroll", "svytotal(~enroll, d2f, na.rm = TRUE)")

# replicates built from a design
rstrat <- as.svrepdesign(dstrat, type = "JKn")
est("strat_jkn_mean_api00", "svymean(~api00, rstrat)")
est("strat_jkn_share_sch.wide", "svymean(~sch.wide, rstrat)")

# lonely PSU: a third stratum holding one district
apiclus1$lone <- ifelse(apiclus1$dnum == max(apiclus1$dnum), "c", ifelse(apiclus1$dnum < 400, "a", "b"))
dlone <- svydesign(id = ~dnum, strata = ~lone, weights = ~pw, data = apiclus1)
for (lp in c("adjust", "certainty", "average", "remove")) {
  options(survey.lonely.psu = lp)
  est(paste0("lonely_", lp, "_mean_api00"), "svymean(~api00, dlone)")
}
options(survey.lonely.psu = "fail")
add("lonely_degf", "degf(dlone)", "df", "", degf(dlone))

# domain intervals (svyby + svyciprop: degrees of freedom of each domain's subset design)
for (m in c("logit", "beta", "likelihood")) {
  code <- sprintf("svyby(~I(sch.wide == 'Yes'), ~stype, dclus1, svyciprop, vartype = 'ci', method = '%s')", m)
  x <- eval(parse(text = code))
  for (g in rownames(x)) {
    add(paste0("clus1_by_stype_ciprop_", m), code, "estimate", g, x[g, 2])
    add(paste0("clus1_by_stype_ciprop_", m), code, "ci_low", g, x[g, 3])
    add(paste0("clus1_by_stype_ciprop_", m), code, "ci_high", g, x[g, 4])
  }
}
# contrast between domains (covariance accounted for)
code <- "svycontrast(svyby(~api00, ~stype, dclus1, svymean, covmat = TRUE), c(E = -1, H = 1, M = 0))"
x <- eval(parse(text = code))
add("clus1_diff_H_E_api00", code, "estimate", "", coef(x)); add("clus1_diff_H_E_api00", code, "se", "", SE(x))
apistrat$sw <- as.numeric(apistrat$sch.wide == "Yes")
dstrat2 <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
code <- "svycontrast(svyby(~sw, ~stype, dstrat2, svymean, covmat = TRUE), c(E = 0, H = -1, M = 1))"
x <- eval(parse(text = code))
add("strat_diff_M_H_schwide", code, "estimate", "", coef(x)); add("strat_diff_M_H_schwide", code, "se", "", SE(x))

# replicate designs: domains, tests, calibration
rclus1 <- as.svrepdesign(dclus1, type = "JK1")
est("clus1_jk1_by_stype_mean_api00", "svyby(~api00, ~stype, rclus1, svymean)")
code <- "svychisq(~sch.wide + stype, rclus1, statistic = 'F')"
t <- eval(parse(text = code))
add("clus1_jk1_chisq_F", code, "statistic", "", t$statistic); add("clus1_jk1_chisq_F", code, "p", "", t$p.value)
for (nm in names(t$parameter)) add("clus1_jk1_chisq_F", code, nm, "", t$parameter[[nm]])
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
est("clus1_jk1_poststrat_mean_api00", "svymean(~api00, postStratify(rclus1, ~stype, pop.types))")
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
est("clus1_jk1_rake_mean_api00", "svymean(~api00, rake(rclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide)))")
# post-stratification then a share and a total (Taylor)
est("clus1_poststrat_share_sch.wide", "svymean(~sch.wide, postStratify(dclus1, ~stype, pop.types))")
est("clus1_poststrat_total_enroll", "svytotal(~enroll, postStratify(dclus1, ~stype, pop.types))")
# totals of categories, and design effects of shares
est("clus1_total_stype", "svytotal(~stype, dclus1)")
x <- svymean(~stype, dclus1, deff = TRUE)
for (i in seq_along(coef(x))) add("clus1_deff_stype", "svymean(~stype, dclus1, deff = TRUE)", "deff", names(coef(x))[i], deff(x)[i])
# domain mean with strata and fpc
est("stratfpc_by_awards_mean_api00", "svyby(~api00, ~awards, svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc), svymean)")

# domains of calibrated and multistage designs
est("clus1_poststrat_by_sch.wide_mean_api00", "svyby(~api00, ~sch.wide, postStratify(dclus1, ~stype, pop.types), svymean)")
est("clus1_rake_by_stype_mean_api00", "svyby(~api00, ~stype, rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide)), svymean)")
est("clus2fpc_by_stype_mean_api00", "svyby(~api00, ~stype, d2f, svymean)")

# crosstab: the distribution of stype within each sch.wide group, the table read the other
# way, and the share of the whole table
est("clus1_xtab_stype_within_sch.wide", "svyby(~stype, ~sch.wide, dclus1, svymean)")
est("clus1_xtab_sch.wide_within_stype", "svyby(~sch.wide, ~stype, dclus1, svymean)")
est("clus1_xtab_total", "svymean(~interaction(stype, sch.wide), dclus1)")

# post-stratification and raking where the weights vary within the cells: R's postStratify
# keeps a GREG residual, rake iterates x - psw * ave(x / psw), and the two differ here
dclus2 <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
est("strat_poststrat_sch.wide_mean_api00", "svymean(~api00, postStratify(dstrat, ~sch.wide, pop.schwide))")
est("clus2_poststrat_mean_api00", "svymean(~api00, postStratify(dclus2, ~stype, pop.types))")
est("clus2_rake_mean_api00", "svymean(~api00, rake(dclus2, list(~stype), list(pop.types)))")
est("strat_rake_mean_api00", "svymean(~api00, rake(dstrat, list(~stype, ~sch.wide), list(pop.types, pop.schwide)))")

out <- do.call(rbind, rows)
write.csv(out, "extra_reference.csv", row.names = FALSE)
cat(sprintf("wrote %d reference values with survey %s\n", nrow(out), as.character(packageVersion("survey"))))
