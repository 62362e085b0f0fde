namespace Rlsc.Core.Gate;

/// <summary>Applies the staleness rule of <see cref="FreshnessOptions"/>; a stale report is RLSC086.</summary>
public static class ReportFreshness
{
    public static void Check(GateReport report, FreshnessOptions options, DateTimeOffset now)
    {
        (DateTimeOffset time, string what) = ReportTime(report);
        int? createdLine = report.Created is null ? null : report.Lines.LineOf("created");

        if (options.ExpectedRunId is { Length: > 0 } expected && report.RunId != expected)
            throw Stale(report, report.RunId is null ? createdLine : report.Lines.LineOf("run_id"),
                report.RunId is null
                    ? $"the report carries no `run_id`, but this gate expects run \"{expected}\": it may be a leftover of another run. " +
                      "Evaluate with RLSC_RUN_ID set to this run's id, or leave the run id out of the gate."
                    : $"the report is from run \"{report.RunId}\", but this gate expects run \"{expected}\": re-run the evaluation in this run.");

        if (time > now + options.ClockSkew)
            throw Stale(report, createdLine,
                $"{what} {Format(time)} is in the future (now {Format(now)}): a wrong clock or a hand-edited report; re-run the evaluation.");

        if (options.MaxAge is TimeSpan maxAge && now - time > maxAge)
            throw Stale(report, createdLine,
                $"{what} {Format(time)} is {Describe(now - time)} old, more than the maximum age {Describe(maxAge)}: " +
                "re-run the evaluation, or pass --max-age (none to gate a kept report on purpose).");

        string? checkpoint = options.Checkpoint;
        if (checkpoint is null && report.ModelPath is { } modelPath && (Directory.Exists(modelPath) || File.Exists(modelPath)))
            checkpoint = modelPath;
        if (checkpoint is null) return;

        DateTimeOffset? newest = NewestWrite(checkpoint);
        if (newest is null)
            throw new RlscException(ErrorCodes.FileNotFound,
                "the checkpoint this report must be newer than does not exist (or is empty): check --checkpoint.", file: checkpoint);
        if (time < newest.Value)
            throw Stale(report, createdLine,
                $"{what} {Format(time)} is older than the checkpoint it evaluates ({checkpoint}, written {Format(newest.Value)}): " +
                "the model changed after this evaluation; re-run the evaluation of this checkpoint.");
    }

    /// <summary>The report's `created` time, else the file's last-write time.</summary>
    public static (DateTimeOffset Time, string What) ReportTime(GateReport report) =>
        report.Created is { } created
            ? (created, "the report's `created` time")
            : (new DateTimeOffset(File.GetLastWriteTimeUtc(report.File), TimeSpan.Zero), "the report file's last write");

    static DateTimeOffset? NewestWrite(string path)
    {
        if (File.Exists(path)) return new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        if (!Directory.Exists(path)) return null;
        DateTime? newest = null;
        foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            DateTime t = File.GetLastWriteTimeUtc(file);
            if (newest is null || t > newest) newest = t;
        }
        return newest is null ? null : new DateTimeOffset(newest.Value, TimeSpan.Zero);
    }

    static RlscException Stale(GateReport report, int? line, string message) =>
        new(ErrorCodes.GateReportStale, $"stale report: {message}", report.File, line);

    static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    static string Describe(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0.#} days"
        : span.TotalHours >= 2 ? $"{span.TotalHours:0.#} hours"
        : $"{span.TotalMinutes:0} minutes";
}
