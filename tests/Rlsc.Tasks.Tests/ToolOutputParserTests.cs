using Rlsc.Tasks.Output;

namespace Rlsc.Tasks.Tests;

public class ToolOutputParserTests
{
    [Test]
    public void Error_with_file_and_line()
    {
        var line = ToolOutputParser.Parse("configs/run.json(12): error RLSC003: expected a number for \"learning_rate\"");
        Assert.That(line, Is.EqualTo(new ToolOutputLine(ToolOutputKind.Error, "expected a number for \"learning_rate\"", "RLSC003", "configs/run.json", 12, 0)));
    }

    [Test]
    public void Warning_with_file_line_and_column()
    {
        var line = ToolOutputParser.Parse("/repo/eval-suites/thresholds.json(4,17): warning RLSC081: golden result is 40 days old");
        Assert.That(line, Is.EqualTo(new ToolOutputLine(ToolOutputKind.Warning, "golden result is 40 days old", "RLSC081", "/repo/eval-suites/thresholds.json", 4, 17)));
    }

    [Test]
    public void Error_of_rlsc_itself_has_no_file()
    {
        var line = ToolOutputParser.Parse("rlsc: error RLSC002: the model folder 'models/x' does not exist");
        Assert.That(line, Is.EqualTo(new ToolOutputLine(ToolOutputKind.Error, "the model folder 'models/x' does not exist", "RLSC002")));
    }

    [Test]
    public void Error_about_a_file_without_a_line()
    {
        var line = ToolOutputParser.Parse("runs/a/summary.json: error RLSC003: the file is empty");
        Assert.That(line, Is.EqualTo(new ToolOutputLine(ToolOutputKind.Error, "the file is empty", "RLSC003", "runs/a/summary.json")));
    }

    [Test]
    public void Windows_paths_keep_their_drive_letter()
    {
        var line = ToolOutputParser.Parse(@"C:\work\run.json(3): error RLSC001: steps must be positive");
        Assert.That((line.File, line.Line, line.Code), Is.EqualTo((@"C:\work\run.json", 3, "RLSC001")));
    }

    [TestCase("[finetune] step 3/10: sampling")]
    [TestCase("[finetune] step 3/10 done")]
    [TestCase("[sft] step 12/200  loss 0.41  lr 1e-05")]
    [TestCase("eval: gsm8k generate 12/500 (20%)")]
    [TestCase("step 3/10 loss=0.4182 lr=1.0e-05 (11.2 s/step)")]
    [TestCase("math500 120/500 correct=31")]
    [TestCase("train: 3/10")]
    [TestCase("[3/10] sampling")]
    [TestCase("45% ██████")]
    [TestCase("progress: 12.5%")]
    public void Progress_lines(string text) =>
        Assert.That(ToolOutputParser.Parse(text).Kind, Is.EqualTo(ToolOutputKind.Progress));

    [TestCase("loading model from models/tiny")]
    [TestCase("wrote runs/a/summary.json")]
    [TestCase("error: not in canonical form")]
    [TestCase("model.py(3): error CS0001: not an rlsc code")]
    [TestCase("finetune completed: 2/2 steps in 3.1 s; final checkpoint: runs/a/checkpoints/final")]
    [TestCase("Gate FAILED (0 passed, 1 failed, 0 pending; 1 error(s)).")]
    [TestCase("gsm8k      2     0.500      0.750       -      -  FAIL     below minimum 0.750")]
    public void Other_lines_are_plain_messages(string text) =>
        Assert.That(ToolOutputParser.Parse(text), Is.EqualTo(new ToolOutputLine(ToolOutputKind.Message, text)));
}
