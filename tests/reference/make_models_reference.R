# Reference values from R's survey (4.1.1) for youthmedia.models: svyglm (gaussian,
# quasibinomial, quasipoisson) under Taylor and replicate designs, and svyolr. Frozen: the tests
# read models_reference.csv and models_corners.csv and never need R.
# Run (in tests/reference): Rscript make_models_reference.R
suppressMessages(library(survey))
options(digits = 15)
rows <- list()
add <- function(id, code, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(id = id, r_code = code, quantity = quantity,
                                          term = term, value = as.numeric(value)[1])
}
# coefficients (and svyolr's cut-points), SEs, and the dispersion svyglm's summary reports
fit <- function(id, code) {
  m <- eval(parse(text = code))
  cf <- coef(m)                                   # svyolr: coefficients, then cut-points
  s <- sqrt(diag(vcov(m)))
  for (i in seq_along(cf)) {
    add(id, code, "estimate", names(cf)[i], cf[i])
    add(id, code, "se", names(cf)[i], s[i])
  }
  if (inherits(m, "svyglm")) {
    add(id, code, "dispersion", "", summary(m)$dispersion)
    add(id, code, "df_residual", "", m$df.residual)
  }
}

# --- the api data, read from the CSVs the tests read --------------------------------------
api <- function(nm) read.csv(file.path("api", paste0(nm, ".csv")))
apistrat <- api("apistrat")
apiclus1 <- api("apiclus1")
# an ordered outcome made from the API score: (-Inf, 600], (600, 700], (700, 800], (800, Inf)
band <- function(x) cut(x, c(-Inf, 600, 700, 800, Inf), labels = c("low", "mid", "high", "top"))
apistrat$band <- band(apistrat$api00)
apiclus1$band <- band(apiclus1$api00)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
jk1 <- as.matrix(api("apiclus1_jk1_weights")[, sprintf("jk1_%02d", 1:15)])
rclus1 <- svrepdesign(data = apiclus1, weights = ~pw, repweights = jk1, type = "JK1",
                      combined.weights = TRUE, scale = 14 / 15)
fay <- as.matrix(api("apistrat_fay_weights")[, sprintf("fay_%02d", 1:16)])
dfay <- svrepdesign(data = apistrat, weights = ~pw, repweights = fay, type = "Fay", rho = 0.5,
                    combined.weights = TRUE)
bs <- as.matrix(api("apistrat_boot_weights")[, sprintf("bs_%02d", 1:50)])
dboot <- svrepdesign(data = apistrat, weights = ~pw, repweights = bs, type = "bootstrap",
                     combined.weights = TRUE)

fit("strat_glm_poisson", "svyglm(api.stu ~ ell + meals + stype, design = dstrat, family = quasipoisson())")
fit("clus1_glm_poisson", "svyglm(enroll ~ ell + meals, design = dclus1, family = quasipoisson())")
fit("jk1_glm_gaussian", "svyglm(api00 ~ ell + meals + mobility, design = rclus1)")
fit("jk1_glm_logit", "svyglm(I(sch.wide == 'Yes') ~ ell + meals, design = rclus1, family = quasibinomial())")
fit("fay_glm_logit", "svyglm(I(sch.wide == 'Yes') ~ api00, design = dfay, family = quasibinomial())")
fit("boot_glm_poisson", "svyglm(api00 ~ stype, design = dboot, family = quasipoisson())")
fit("boot_glm_logit", "svyglm(I(sch.wide == 'Yes') ~ api00, design = dboot, family = quasibinomial())")
fit("strat_olr", "svyolr(band ~ ell + meals, design = dstrat)")
fit("clus1_olr", "svyolr(band ~ ell + meals + stype, design = dclus1)")
fit("jk1_olr", "svyolr(band ~ ell + meals, design = rclus1)")

# --- corners, on data made here ------------------------------------------------------------
set.seed(20261203)
n <- 160
corners <- data.frame(
  stratum = rep(1:4, each = n / 4),
  psu = rep(1:40, each = n / 40),
  wgt = round(runif(n, 0.5, 4), 3),
  x = round(rnorm(n), 4),
  group = sample(c("a", "b", "c"), n, replace = TRUE)
)
# near-separation: the outcome follows x almost perfectly (a few overlaps near 0)
corners$near <- as.integer(corners$x + rnorm(n, sd = 0.15) > 0)
# a count with many zeros and a skewed ordinal answer with an empty-ish top category
corners$count <- rpois(n, exp(0.3 + 0.8 * corners$x))
lat <- 1.2 * corners$x + (corners$group == "b") + rlogis(n)
corners$answer <- cut(lat, c(-Inf, -1, 0.5, 3, Inf), labels = c("never", "sometimes", "often", "always"))
corners$x[c(7, 50)] <- NA                          # missing predictor values: rows left out
# (no data column may be called w, g or pwt: svyglm and svyolr evaluate those names in the data)
reps <- sapply(1:40, function(r) corners$wgt * rpois(n, 1))
colnames(reps) <- sprintf("bs_%02d", 1:40)
corners <- cbind(corners, reps)
write.csv(corners, "models_corners.csv", row.names = FALSE, na = "")
corners <- read.csv("models_corners.csv")
corners$answer <- factor(corners$answer, levels = c("never", "sometimes", "often", "always"))
dc <- svydesign(id = ~psu, strata = ~stratum, weights = ~wgt, data = corners)
dcb <- svrepdesign(data = corners, weights = ~wgt, repweights = "bs_[0-9]+", type = "bootstrap",
                   combined.weights = TRUE)
fit("corner_near_logit", "svyglm(near ~ x, design = dc, family = quasibinomial())")
fit("corner_near_boot_logit", "svyglm(near ~ x, design = dcb, family = quasibinomial())")
fit("corner_poisson", "svyglm(count ~ x + group, design = dc, family = quasipoisson())")
fit("corner_boot_poisson", "svyglm(count ~ x + group, design = dcb, family = quasipoisson())")
fit("corner_olr", "svyolr(answer ~ x + group, design = dc)")
fit("corner_boot_olr", "svyolr(answer ~ x + group, design = dcb)")
# svyolr maximises with optim's BFGS, which stops at a relative change of 1e-8 in the
# log-likelihood: its coefficients are then ~1e-5 (relative) from the maximum. The same calls
# run to the maximum (reltol 1e-15) are the values to 1e-6; the defaults are kept to 1e-4.
for (id in c("strat_olr", "clus1_olr", "jk1_olr", "corner_olr", "corner_boot_olr")) {
  code <- rows[[which(sapply(rows, function(r) r$id == id))[1]]]$r_code
  fit(paste0(id, "_max"), sub(")$", ", control = list(reltol = 1e-15))", code))
}
m <- svyglm(near ~ x, design = dc, family = quasibinomial())
add("corner_near_logit", "svyglm(near ~ x, design = dc, family = quasibinomial())$iter", "iterations", "", m$iter)

out <- do.call(rbind, rows)
write.csv(out, "models_reference.csv", row.names = FALSE)
cat(nrow(out), "reference values written\n")
