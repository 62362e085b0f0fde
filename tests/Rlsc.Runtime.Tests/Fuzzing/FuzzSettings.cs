namespace Rlsc.Runtime.Tests.Fuzzing;

/// <summary>
/// How long and from which seed the fuzzers run. CI uses the defaults (a thousand cases, at most three seconds per
/// loader, the same seed every run so a failure reproduces); `RLSC_FUZZ_SECONDS=600 RLSC_FUZZ_CASES=0` fuzzes for ten
/// minutes per loader, and `RLSC_FUZZ_SEED` explores other inputs. A failure names the seed and the case number.
/// </summary>
internal static class FuzzSettings
{
    public const string SecondsVariable = "RLSC_FUZZ_SECONDS";
    public const string CasesVariable = "RLSC_FUZZ_CASES";
    public const string SeedVariable = "RLSC_FUZZ_SEED";

    /// <summary>Wall-clock budget per loader.</summary>
    public static TimeSpan Budget => TimeSpan.FromSeconds(Read(SecondsVariable, 3));

    /// <summary>Cases per loader; 0 means no limit other than the time budget.</summary>
    public static int Cases => (int)Read(CasesVariable, 1000);

    public static int Seed => (int)Read(SeedVariable, 17);

    /// <summary>One case taking longer than this is a hang (the loaders read small files: milliseconds).</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(20);

    static double Read(string variable, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double value) && value >= 0 ? value : fallback;
}
