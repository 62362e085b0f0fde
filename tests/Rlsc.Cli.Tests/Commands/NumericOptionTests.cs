using System.CommandLine;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>A number option given a word, or an out-of-range number, is answered with a sentence a user can act on.</summary>
[NonParallelizable]
public class NumericOptionTests
{
    [Test]
    public void StepsGivenAWordSaysAWholeNumberIsExpectedWithoutNamingADotNetType()
    {
        var (exit, stdout, stderr) = CliRunner.Run("finetune", "--steps", "two");
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("--steps: 'two' is not a whole number."));
        Assert.That(stdout + stderr, Does.Not.Contain("Nullable").And.Not.Contain(".NET type").And.Not.Contain("System."));
    }

    [Test]
    public void NegativeStepsAreReportedAloneWithoutAWarmupComplaint()
    {
        var (exit, _, stderr) = CliRunner.Run("finetune", "--steps", "-1");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("error RLSC001").And.Contain("training.steps = -1 must be at least 1"));
        Assert.That(stderr, Does.Not.Contain("warmup"));
    }

    [Test]
    public void EveryNumericOptionOfEveryCommandRefusesAWordInPlainWords()
    {
        var cases = NumericOptions(RlscCommandLine.Build(), []).ToList();
        Assert.That(cases, Has.Count.GreaterThan(20), "the walk found the numeric options");
        foreach (var (path, option) in cases)
        {
            string[] args = [.. path, option, "NaN"];
            var (exit, stdout, stderr) = CliRunner.Run(args);
            string all = stdout + stderr;
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.Not.EqualTo(0), string.Join(' ', args));
                Assert.That(stderr, Does.Contain($"{option}: 'NaN' is not a"), string.Join(' ', args));
                Assert.That(all, Does.Not.Contain(".NET type").And.Not.Contain("System."), string.Join(' ', args));
            });
        }
    }

    static IEnumerable<(string[] Path, string Option)> NumericOptions(Command command, string[] path)
    {
        foreach (var option in command.Options)
        {
            var type = option.ValueType;
            var inner = Nullable.GetUnderlyingType(type) ?? type;
            if (inner == typeof(int) || inner == typeof(long) || inner == typeof(double) || inner == typeof(float))
                yield return (path, option.Name);
        }
        foreach (var sub in command.Subcommands)
            foreach (var found in NumericOptions(sub, [.. path, sub.Name]))
                yield return found;
    }
}
