using Rlsc.Cli.Training;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>The training progress display: a redrawn line on a terminal, plain lines for logs.</summary>
public class TrainingDisplayTests
{
    static readonly Dictionary<string, double> Metrics = new() { ["train/loss"] = 0.25, ["answers/agreement"] = 0.5, ["train/learning_rate"] = 1e-5 };

    static string Render(TrainingDisplay.Mode mode)
    {
        var writer = new StringWriter();
        using (var display = new TrainingDisplay(mode, writer))
        {
            display.Report(new TrainingProgress("finetune", 0, 2, "loading", "models/x"));
            display.Report(new TrainingProgress("finetune", 1, 2, "sampling", "question 1/1, 12 tokens"));
            display.Report(new TrainingProgress("finetune", 1, 2, "step", null, Metrics));
            display.Message("SIGINT received: stopping after saving a checkpoint");
            display.Report(new TrainingProgress("finetune", 2, 2, "checkpoint", "final"));
        }
        return writer.ToString();
    }

    [Test]
    public void PlainModeWritesOneLinePerMilestoneAndNoCarriageReturns()
    {
        string text = Render(TrainingDisplay.Mode.Plain);
        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "[finetune] loading models/x",
            "[finetune] step 1/2  loss 0.25  agreement 0.5  lr 1e-5",
            "SIGINT received: stopping after saving a checkpoint",
            "[finetune] step 2/2: saving final",
        }));
    }

    [Test]
    public void BarModeRedrawsOneLineAndKeepsMessagesOnTheirOwnLine()
    {
        string text = Render(TrainingDisplay.Mode.Bar);
        Assert.That(text, Does.Contain("\r[##########----------] step 1/2 done  loss 0.25"));
        Assert.That(text, Does.Contain("\nSIGINT received: stopping after saving a checkpoint\n"));
        Assert.That(text, Does.Contain("saving final"));
        Assert.That(text, Does.EndWith("\n"), "the status line is closed at the end");
    }

    [Test]
    public void NoneModeShowsOnlyMessages() =>
        Assert.That(Render(TrainingDisplay.Mode.None), Is.EqualTo("SIGINT received: stopping after saving a checkpoint\n"), "only messages the user must see");
}
