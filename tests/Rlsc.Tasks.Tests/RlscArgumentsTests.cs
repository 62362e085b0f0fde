using System.Diagnostics;
using System.Globalization;
using Rlsc.Tasks.CommandLine;

namespace Rlsc.Tasks.Tests;

public class RlscArgumentsTests
{
    [Test]
    public void Quoted_arguments_reach_a_real_process_unchanged()
    {
        // Random arguments made of the characters that quoting must get right.
        var random = new Random(20250611);
        const string alphabet = "ab \"\\\t'é$;,";
        var arguments = Enumerable.Range(0, 40)
            .Select(_ => new string(Enumerable.Range(0, random.Next(0, 9)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            .Append("").Append("trailing\\").Append("\\\\\"")
            .ToList();
        var builder = new RlscArguments().Add(arguments.ToArray());

        var start = new ProcessStartInfo("/bin/sh", "-c \"for a in \\\"$@\\\"; do printf '[%s]\\n' \\\"$a\\\"; done\" sh " + builder)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var received = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[1..^1]).ToList();
        Assert.That(received, Is.EqualTo(arguments));
    }

    [TestCase("plain", "plain")]
    [TestCase("", "\"\"")]
    [TestCase("two words", "\"two words\"")]
    [TestCase("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [TestCase("C:\\path with space\\", "\"C:\\path with space\\\\\"")]
    [TestCase("no\\space", "no\\space")]
    public void Quote_only_when_needed(string argument, string expected) =>
        Assert.That(RlscArguments.Quote(argument), Is.EqualTo(expected));

    [Test]
    public void Unset_switches_are_left_out_so_that_rlsc_applies_its_defaults()
    {
        var arguments = new RlscArguments().Add("eval")
            .Switch("--model", (string?)null).Switch("--device", "").Switch("--limit", (int?)null)
            .Switch("--temperature", (double?)null).Flag("--resume", false)
            .Switch("--suite", "math500");
        Assert.That(arguments.Items, Is.EqualTo(new[] { "eval", "--suite", "math500" }));
    }

    [Test]
    public void Numbers_are_written_in_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var arguments = new RlscArguments().Switch("--temperature", 0.7).Switch("--steps", 12000);
            Assert.That(arguments.ToString(), Is.EqualTo("--temperature 0.7 --steps 12000"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
