using NUnit.Framework.Internal;
using Snapshooter;
using Snapshooter.Core;
using Snapshooter.Core.Serialization;
using Snapshooter.NUnit;

namespace Rlsc.Quality.Tests;

/// <summary>
/// Matches a value against a committed golden snapshot with Snapshooter, adding what the gate needs:
/// the folder found robustly (<see cref="SnapshotFolder"/>), a missing snapshot that fails in strict mode
/// (SNAPSHOOTER_STRICT_MODE=on, as CI sets) with a message saying how to create it, a mismatch that fails
/// with a readable line diff, and a deliberate update mode (RLSC_UPDATE_SNAPSHOTS=1) refused in strict mode.
/// </summary>
static class GoldenSnapshot
{
    public const string UpdateVariable = "RLSC_UPDATE_SNAPSHOTS";
    public const string StrictVariable = "SNAPSHOOTER_STRICT_MODE";
    const string MismatchFolder = "__mismatch__";

    /// <summary>The command that accepts a deliberate change of the gate's snapshot (docs/gate.md).</summary>
    public const string UpdateCommand =
        "RLSC_UPDATE_SNAPSHOTS=1 RLSC_GATE_SUMMARY=<summary.json> RLSC_GATE_MODEL_KEY=<key> " +
        "dotnet test tests/Rlsc.Quality.Tests -c Release --filter TestCategory=QualityGate, then review and commit the .snap file";

    public static bool StrictFromEnvironment() =>
        Environment.GetEnvironmentVariable(StrictVariable) is { } v && (v == "on" || (bool.TryParse(v, out bool b) && b));

    public static bool UpdateFromEnvironment() =>
        Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true" or "on";

    /// <param name="snapshotsFolder">The __snapshots__ folder; null: <see cref="SnapshotFolder.Locate()"/>.</param>
    /// <returns>The snapshot file that was matched (or written).</returns>
    public static string Match(object value, string name, string? snapshotsFolder = null, bool? strict = null, bool? update = null,
        string updateCommand = UpdateCommand)
    {
        string folder = snapshotsFolder ?? SnapshotFolder.Locate();
        bool isStrict = strict ?? StrictFromEnvironment();
        bool isUpdate = update ?? UpdateFromEnvironment();
        string fileName = name + ".snap";
        string file = Path.Combine(folder, fileName);
        string mismatch = Path.Combine(folder, MismatchFolder, fileName);

        if (isUpdate)
        {
            if (isStrict)
                throw new AssertionException(
                    $"error RLSC088: {UpdateVariable} and {StrictVariable}=on are both set: snapshots are updated on a developer's machine " +
                    "and committed after review, never written in CI. Unset one of them.");
            if (File.Exists(file)) File.Delete(file);
        }
        else if (!File.Exists(file) && isStrict)
        {
            throw new AssertionException(
                $"error RLSC088: the golden snapshot {file} does not exist, and {StrictVariable}=on (CI) never writes one. " +
                $"Create it on your machine: {updateCommand}.");
        }

        // Snapshooter keeps snapshots in <FolderPath>/__snapshots__/<Filename>; give it the parent of the folder found above.
        string parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder))!;
        if (!string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), SnapshotFolder.Name, StringComparison.Ordinal))
            throw new AssertionException($"error RLSC088: the snapshots folder must be named {SnapshotFolder.Name}: {folder}");

        var fullName = new SnapshotFullName(fileName, parent);
        bool existed = File.Exists(file);
        if (!existed)
        {
            // Written here rather than by Snapshooter: Snapshooter reads SNAPSHOOTER_STRICT_MODE itself, and a test of
            // this class (or an update) must be able to write a snapshot in a process where CI exported it.
            string serialized = new SnapshotSerializer(new GlobalSnapshotSettingsResolver()).SerializeObject(value);
            new SnapshotFileHandler().SaveNewSnapshot(fullName, serialized);
        }

        try
        {
            // Isolated: Snapshooter's own NUnit assertion would otherwise be recorded on the test beside the readable diff below.
            using (new TestExecutionContext.IsolatedContext())
                Snapshot.Match(value, fullName, options => options);
        }
        catch (Exception e) when (File.Exists(mismatch))
        {
            string diff = SnapshotDiff.Unified(File.ReadAllText(file), File.ReadAllText(mismatch),
                $"golden snapshot {file}", $"this run {mismatch}");
            throw new AssertionException(
                $"error RLSC088: the per-suite results differ from the golden snapshot.\n{diff}" +
                $"If the change is intended, accept it: {updateCommand}.", e);
        }

        if (!existed)
            TestContext.Out.WriteLine($"Golden snapshot written: {file}. Review it and commit it with the change.");
        return file;
    }
}
