using Rlsc.Core;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>
/// Output paths that cannot be written (a file where a folder is expected or the reverse, a path under a file, a folder
/// this process may not write in) are refused up front with RLSC008 naming the option and the part in the way, for
/// every command that writes: before, they surfaced as IOException or DirectoryNotFoundException stack traces.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // read-only folders are made with Unix modes
public class OutputPathTests
{
    string dir = "";
    string aFile = "";
    string readOnly = "";

    [SetUp]
    public void Create()
    {
        dir = CliRunner.TempFolder();
        aFile = Path.Combine(dir, "a-file.txt");
        File.WriteAllText(aFile, "not a folder");
        readOnly = UnwritableFolder(dir);
    }

    [TearDown]
    public void Delete()
    {
        string mine = Path.Combine(dir, "read-only");
        if (Directory.Exists(mine)) File.SetUnixFileMode(mine, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// A folder this process cannot create entries in: a mode-0555 folder, or, for root (which ignores mode bits),
    /// /sys, which refuses new entries to everyone. The test asserts it really is unwritable before relying on it.
    /// </summary>
    static string UnwritableFolder(string parent)
    {
        string folder = Path.Combine(parent, "read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (!CanWrite(folder)) return folder;
        Assert.That(CanWrite("/sys"), Is.False, "neither a mode-0555 folder nor /sys is read-only for this process");
        return "/sys";

        static bool CanWrite(string f)
        {
            try { using (File.Create(Path.Combine(f, "probe"), 1, FileOptions.DeleteOnClose)) { } return true; }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return false; }
        }
    }

    /// <summary>The bad folder paths and the part of each that the message must name.</summary>
    IEnumerable<(string Path, string Culprit)> BadFolders() =>
    [
        (aFile, "is a file; expected a folder"),
        (Path.Combine(aFile, "run"), $"'{aFile}' is a file, not a folder"),
        (Path.Combine(readOnly, "run"), $"may not write in '{readOnly}'"),
    ];

    IEnumerable<(string Path, string Culprit)> BadFiles() =>
    [
        (dir, "is a folder; expected a file name"),
        (Path.Combine(aFile, "out.jsonl"), $"'{aFile}' is a file, not a folder"),
        (Path.Combine(readOnly, "out.jsonl"), $"may not write in '{readOnly}'"),
    ];

    static void ExpectRefused(string[] args, string option, string path, string culprit)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        string call = string.Join(' ', args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), call + "\n" + stdout + stderr);
            Assert.That(stderr, Does.StartWith($"{path}: error RLSC008: {option} '{path}'"), call);
            Assert.That(stderr, Does.Contain(culprit), call);
            Assert.That(stderr, Does.Not.Contain("Exception").And.Not.Contain("   at "), call);
        });
    }

    [Test]
    public void FinetuneRefusesAnOutputFolderItCannotWrite()
    {
        string questions = Path.Combine(dir, "q.jsonl");
        File.WriteAllText(questions, "{\"question\": \"1+1=?\"}\n");
        foreach (var (path, culprit) in BadFolders())
            ExpectRefused(["finetune", "--model", Path.Combine(dir, "no-model"), "--data", questions, "--set", "data.suite=null",
                "--set", "data.prompt_template=none", "--device", "cpu", "--progress", "none", "--output", path], "output", path, culprit);
    }

    [Test]
    public void EvalRefusesAnOutputFolderItCannotWrite()
    {
        string predictions = Path.Combine(dir, "p.jsonl");
        File.WriteAllText(predictions, "{\"index\": 0, \"response\": \"1\"}\n");
        foreach (var (path, culprit) in BadFolders())
            ExpectRefused(["eval", "--suite", "gsm8k", "--predictions", predictions, "--output", path], "--output", path, culprit);
    }

    [Test]
    public void GenerateGradeAndGateMarkdownRefuseAnOutputFileTheyCannotWrite()
    {
        foreach (var (path, culprit) in BadFiles())
        {
            ExpectRefused(["generate", "--model", Path.Combine(dir, "no-model"), "--prompt", "1+1=", "--output", path], "--output", path, culprit);
            ExpectRefused(["grade", "--gold", "1", "--pred", "1", "--output", path], "--output", path, culprit);
            ExpectRefused(["gate", "--summary", Path.Combine(dir, "no-summary.json"), "--markdown", path], "--markdown", path, culprit);
        }
    }

    [Test]
    public void AnAtomicWriteOverAFolderNamesThePathInsteadOfThrowingIOException()
    {
        // The last line of defence for writers without an up-front check: AtomicFile itself.
        var e = Assert.Throws<RlscException>(() => Rlsc.Core.IO.AtomicFile.WriteAllText(dir, "x"))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.OutputPathUnusable));
        Assert.That(e.Message, Does.Contain("is a folder; expected a file name"));
        Assert.That(e.File, Is.EqualTo(dir));
    }
}
