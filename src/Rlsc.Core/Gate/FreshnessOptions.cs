


namespace Rlsc.Core.Gate;

/// <summary>
/// The staleness rule: which evaluation summaries are too old to gate on. A report is stale when
/// (1) it is older than the checkpoint it evaluates, (2) it is older than <see cref="MaxAge"/>,
/// (3) it claims to be created in the future (beyond <see cref="ClockSkew"/>), or (4) an expected run id is
/// set and the report carries another one (or none). The report's time is its `created` field, else the
/// file's last-write time.
/// </summary>
public sealed record FreshnessOptions
{
    /// <summary>
    /// 24 hours: a gate runs right after its evaluation, so anything older is almost surely a leftover of an
    /// earlier run (self-hosted runners keep their work folders). Null switches the age check off
    /// (`--max-age none`), for gating a report kept on purpose.
    /// </summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(24);

    public TimeSpan? MaxAge { get; init; } = DefaultMaxAge;

    /// <summary>
    /// The checkpoint folder (or file) the report must be newer than. Null: the report's `model.path` when
    /// that exists on this machine; otherwise the checkpoint check is skipped (a hub model has no local time).
    /// </summary>
    public string? Checkpoint { get; init; }

    /// <summary>The run id the report must carry in `run_id` (e.g. RLSC_RUN_ID of this CI run); null: not checked.</summary>
    public string? ExpectedRunId { get; init; }

    /// <summary>How far in the future a `created` time may be before it is rejected: clocks of runners differ a little.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parses `24h`, `90m`, `2d`, `3600s`, a TimeSpan (`1.00:00:00`), or `none`/`off` (no age limit).</summary>
    public static TimeSpan? ParseMaxAge(string text, string origin)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t is "none" or "off" or "0") return null;
        if (t.Length > 1 && double.TryParse(t[..^1], System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out double n) && n > 0)
        {
            switch (t[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        if (TimeSpan.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero) return span;
        throw new RlscException(ErrorCodes.InvalidArgument,
            $"{origin} is \"{text}\"; expected a duration such as 24h, 90m, 2d, 3600s, or none.");
    }
}
