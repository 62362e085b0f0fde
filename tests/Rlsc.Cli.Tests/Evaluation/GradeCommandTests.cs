using System.Text.Json;

namespace Rlsc.Cli.Tests.Evaluation;

[NonParallelizable]
public class GradeCommandTests
{
    string _folder = "";

    [SetUp]
    public void Create() => _folder = CliRunner.TempFolder();

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void OnePair_EqualExitsZero()
    {
        var (exit, output, errors) = CliRunner.Run("grade", "--gold", @"$\frac{1}{2}$", "--pred", @"So the answer is \boxed{0.5}.");
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Does.StartWith("equal (exact): extracted '0.5' by rule boxed"));
    }

    [Test]
    public void OnePair_DifferentExitsTwo()
    {
        var (exit, output, _) = CliRunner.Run("grade", "--gold", "(3,4]", "--pred", "(3,4)");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Does.StartWith("not equal (different): extracted '(3,4)' by rule bare"));
    }

    [Test]
    public void SuiteOption_UsesTheSuitesGradingOptions()
    {
        Assert.That(CliRunner.Run("grade", "--gold", "15000", "--pred", "15001").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("grade", "--gold", "15000", "--pred", "15001", "--suite", "minerva_math").Exit, Is.EqualTo(0));
    }

    [Test]
    public void QuestionOption_LetsAPredictedPercentMeanTheBareNumber_WhenItAsksForAPercentage()
    {
        Assert.That(CliRunner.Run("grade", "--gold", "10", "--pred", @"\boxed{10\%}").Exit, Is.EqualTo(2), "without a question, 10% is 0.1");
        var (exit, output, errors) = CliRunner.Run("grade", "--gold", "10", "--pred", @"\boxed{10\%}", "--question", "What percent of 50 is 5?");
        Assert.That(exit, Is.EqualTo(0), errors + output);
        Assert.That(CliRunner.Run("grade", "--gold", "10", "--pred", @"\boxed{10\%}", "--question", "How many apples are left?").Exit, Is.EqualTo(2));
    }

    [Test]
    public void File_ReadsEachLinesQuestion()
    {
        string input = Path.Combine(_folder, "pairs.jsonl");
        File.WriteAllLines(input,
        [
            """{"gold": "10", "pred": "10\\%", "question": "What percent of 50 is 5?"}""",
            """{"gold": "10", "pred": "10\\%"}""",
        ]);
        var (exit, stdout, errors) = CliRunner.Run("grade", "--input", input);
        Assert.That(exit, Is.EqualTo(0), errors);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines.Select(l => l.GetProperty("equal").GetBoolean()), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void File_AddsVerdictsAndKeepsTheInputFields()
    {
        string input = Path.Combine(_folder, "pairs.jsonl");
        File.WriteAllLines(input,
        [
            """{"id": 1, "gold": "\\left( 3, \\frac{\\pi}{2} \\right)", "pred": "The answer is $(3, \\pi/2)$."}""",
            """{"id": 2, "gold": 27.0, "pred": "27"}""",
            "",
            """{"id": 3, "gold": "\\text{Evelyn}", "pred": "\\boxed{Navin}"}""",
        ]);
        string output = Path.Combine(_folder, "graded.jsonl");
        var (exit, stdout, errors) = CliRunner.Run("grade", "--input", input, "--output", output);
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.Contain("graded 3: 2 equal (66.7%)"));
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines.Select(l => l.GetProperty("id").GetInt32()), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(lines.Select(l => l.GetProperty("equal").GetBoolean()), Is.EqualTo(new[] { true, true, false }));
        Assert.That(lines[0].GetProperty("extracted").GetString(), Is.EqualTo(@"(3, \pi/2)"));
        Assert.That(lines[0].GetProperty("rule").GetString(), Is.EqualTo("the_answer_is"));
        Assert.That(lines[2].GetProperty("rule").GetString(), Is.EqualTo("boxed"));
        Assert.That(lines[1].GetProperty("method").GetString(), Is.EqualTo("exact"));
    }

    [Test]
    public void File_WithoutOutput_PrintsTheLines()
    {
        string input = Path.Combine(_folder, "pairs.jsonl");
        File.WriteAllText(input, """{"gold": "2", "pred": "2"}""" + "\n");
        var (exit, stdout, errors) = CliRunner.Run("grade", "--input", input);
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(stdout.Trim(), Is.EqualTo("""{"gold":"2","pred":"2","extracted":"2","rule":"bare","equal":true,"method":"text"}"""));
        Assert.That(errors, Does.Contain("graded 1: 1 equal"));
    }

    [TestCase("""{"gold": "1"}""", "\"pred\"")]
    [TestCase("""{"gold": ["1"], "pred": "1"}""", "\"gold\"")]
    [TestCase("""[1, 2]""", "JSON object")]
    [TestCase("""{"gold": """, "not valid JSON")]
    public void BadLines_NameFileAndLine(string line, string expected)
    {
        string input = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(input, """{"gold": "1", "pred": "1"}""" + "\n" + line + "\n");
        var (exit, _, errors) = CliRunner.Run("grade", "--input", input);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.StartWith($"{input}(2): error RLSC037:").And.Contain(expected));
    }

    [Test]
    public void MissingArguments_SayWhatToGive()
    {
        var (exit, _, errors) = CliRunner.Run("grade", "--gold", "1");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("RLSC001").And.Contain("--pred"));
    }
}
