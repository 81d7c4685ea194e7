# Sums oneDNN's verbose log (ONEDNN_VERBOSE=1) per primitive kind, kernel and pass: milliseconds per step.
# Usage: awk -v steps=N -f scripts/onednn-profile.awk log.txt   (N: the profiled steps; lines before a line
# PROFILE-START, e.g. the first step's kernel generation, are skipped when that line exists)
BEGIN { FS = ","; started = 0; if (steps == 0) steps = 1 }
/^PROFILE-START/ { started = 1; delete ms; delete n; total = 0; next }
/^onednn_verbose,/ && /,exec,/ {
    for (i = 1; i <= NF; i++) if ($i == "cpu") break
    key = sprintf("%-14s %-32s %s", $(i + 1), $(i + 2), $(i + 3))
    ms[key] += $NF; n[key]++; total += $NF
}
END {
    for (k in ms) printf "%9.1f ms %6.1f%% %6d x  %s\n", ms[k] / steps, 100 * ms[k] / total, n[k] / steps, k | "sort -rn"
    close("sort -rn")
    printf "%9.1f ms per step in oneDNN primitives\n", total / steps
}
