using System.Reflection;
using System.Text.RegularExpressions;
using Rlsc.Core;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// The tasks report the codes of Rlsc.Core's ErrorCodes (block 090-099 for their own errors), the one list that
/// docs/errors.md documents: no copy of it lives in the tasks, and the targets name only codes it defines.
/// </summary>
public class ErrorCodeTests
{
    static Dictionary<string, string> AllCodes() => typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    static string TasksSource => Path.Combine(TestPaths.RepoRoot, "src", "Rlsc.Tasks");

    [Test]
    public void The_tasks_own_block_090_is_defined_once_and_documented()
    {
        var block = AllCodes().Where(c => int.Parse(c.Value[4..]) is >= 90 and <= 99).ToList();
        Assert.That(block.Select(c => c.Key), Is.SupersetOf(new[] { "ToolNotFound", "InvalidParameter", "InputNotFound", "ToolFailed", "OutputMissing", "KilledAfterCancel" }));
        Assert.That(block.Select(c => c.Value), Is.Unique);
        string docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "errors.md"));
        foreach (var (name, code) in block) Assert.That(docs, Does.Contain($"| {code} |"), $"docs/errors.md lacks {code} ({name})");
    }

    [Test]
    public void The_task_sources_spell_no_code_of_their_own()
    {
        var literals = Directory.GetFiles(TasksSource, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"RLSC\\d{3}\"").Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.That(literals, Is.Empty, "use Rlsc.Core.ErrorCodes");
    }

    [Test]
    public void The_targets_name_only_codes_that_ErrorCodes_defines()
    {
        var known = AllCodes().Values.ToHashSet();
        string[] files = { Path.Combine(TasksSource, "build", "Rlsc.Tasks.targets"), Path.Combine(TestPaths.RepoRoot, "build", "Pipeline.proj") };
        var used = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), "Code=\"(RLSC\\d{3})\"").Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.That(used, Is.Not.Empty, "the check reads real codes");
        Assert.That(used, Is.SubsetOf(known));
    }
}
