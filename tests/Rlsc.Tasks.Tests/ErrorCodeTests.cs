using System.Reflection;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>The task-only codes are also listed where users and the rest of the code base look for codes.</summary>
public class ErrorCodeTests
{
    static IEnumerable<string> TaskCodes() =>
        typeof(TaskErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

    [Test]
    public void Task_codes_are_in_the_090_block_and_distinct()
    {
        var codes = TaskCodes().ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(codes.Select(c => int.Parse(c[4..])), Is.All.InRange(90, 99));
    }

    [Test]
    public void Task_codes_are_listed_in_ErrorCodes_cs_and_docs_errors_md()
    {
        string errorCodes = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "Rlsc.Core", "ErrorCodes.cs"));
        string docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "errors.md"));
        foreach (var field in typeof(TaskErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            string code = (string)field.GetValue(null)!;
            Assert.That(errorCodes, Does.Contain($"{field.Name} = \"{code}\""), $"ErrorCodes.cs lacks {field.Name}");
            Assert.That(docs, Does.Contain($"| {code} |"), $"docs/errors.md lacks {code}");
        }
    }
}
