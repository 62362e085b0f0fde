using System.Reflection;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>Training reads questions only: gold answers and solutions are never decoded.</summary>
public class QuestionReaderTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-questions-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    /// <summary>
    /// Lines whose answer and solution fields are poisoned: a lone UTF-16 surrogate escape ("\ud800") makes any
    /// attempt to read them as a string throw, and a nested object breaks any attempt to read them as a value.
    /// </summary>
    public static string WritePoisonedSuite(string dir, int count = 3)
    {
        string path = Path.Combine(dir, "poisoned.jsonl");
        var lines = Enumerable.Range(0, count).Select(i =>
            $"{{\"id\": {i}, \"question\": \"What is {i} + {i}?\", \"answer\": \"\\ud800\", \"solution\": {{\"gold\": [\"\\ud800\", {{\"x\": \"\\udfff\"}}]}}, \"extra\": null}}");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public void ReadsQuestionsWithoutEverDecodingPoisonedAnswers()
    {
        string file = WritePoisonedSuite(dir);
        var questions = QuestionReader.Read(file, questionField: null);
        Assert.That(questions.Select(q => q.Text), Is.EqualTo(new[] { "What is 0 + 0?", "What is 1 + 1?", "What is 2 + 2?" }));
        Assert.That(questions.Select(q => q.Id), Is.EqualTo(new[] { "0", "1", "2" }));

        // The poison works: reading the answer as the question fails loudly.
        Assert.Throws<InvalidOperationException>(() => QuestionReader.Read(file, questionField: "answer"));
    }

    [Test]
    public void ASuiteIsReadThroughItsManifestWithoutItsGold()
    {
        string data = WritePoisonedSuite(dir, count: 4);
        string manifest = Path.Combine(dir, "poisoned-suite.json");
        File.WriteAllText(manifest, """
            {
              "schema": "rlsc.eval.suite/v1",
              "name": "poisoned-suite",
              "data": { "local_path": "poisoned.jsonl", "count": 4 },
              "id_field": "id",
              "question_field": "question",
              "gold": { "rule": "field", "field": "answer" }
            }
            """);
        var questions = FineTuneData.Load(new FineTuneDataOptions { Suite = manifest, Limit = 3 });
        Assert.That(questions.Select(q => (q.Id, q.Text)), Is.EqualTo(new[] { ("0", "What is 0 + 0?"), ("1", "What is 1 + 1?"), ("2", "What is 2 + 2?") }));
        Assert.That(File.Exists(data));
    }

    [Test]
    public void TheAime24SuiteGivesItsThirtyQuestions()
    {
        // Resolved like every suite: the local mirror, else the cache, else a sha256-verified download.
        var questions = FineTuneData.Load(new FineTuneDataOptions { Suite = "aime24" });
        Assert.That(questions, Has.Count.EqualTo(30));
        Assert.That(questions[0].Text, Does.Contain("Aya"));
    }

    [Test]
    public void AQuestionHoldsNoPlaceForAnAnswer()
    {
        var properties = typeof(TrainingQuestion).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);
        Assert.That(properties, Is.EquivalentTo(new[] { "Index", "Id", "Text" }));
    }

    [Test]
    public void UsesProblemWhenThereIsNoQuestionFieldAndHonoursTheLimit()
    {
        string file = Path.Combine(dir, "q.jsonl");
        File.WriteAllLines(file, ["{\"problem\": \"p1\", \"answer\": \"1\"}", "", "{\"problem\": \"p2\"}", "{\"problem\": \"p3\"}"]);
        Assert.That(QuestionReader.Read(file, null, limit: 2).Select(q => q.Text), Is.EqualTo(new[] { "p1", "p2" }));
    }

    [Test]
    public void AMissingQuestionNamesFileLineAndTheOptionToSet()
    {
        string file = Path.Combine(dir, "q.jsonl");
        File.WriteAllLines(file, ["{\"question\": \"ok\"}", "{\"prompt\": \"x\"}"]);
        var e = Assert.Throws<RlscException>(() => QuestionReader.Read(file, null))!;
        Assert.That((e.Code, e.File, e.Line), Is.EqualTo((ErrorCodes.MalformedData, file, 2)));
        Assert.That(e.Message, Does.Contain("data.question_field"));

        File.WriteAllLines(file, ["{\"question\": \"ok\"", "{}"]);
        var broken = Assert.Throws<RlscException>(() => QuestionReader.Read(file, null))!;
        Assert.That((broken.Code, broken.Line), Is.EqualTo((ErrorCodes.MalformedData, 1)));
    }

    [Test]
    public void SftExamplesNeedAPromptAndACompletion()
    {
        string file = Path.Combine(dir, "sft.jsonl");
        File.WriteAllLines(file, ["{\"prompt\": \"1+1=\", \"completion\": \"2\", \"meta\": {\"a\": 1}}", "{\"prompt\": \"2+2=\"}"]);
        var e = Assert.Throws<RlscException>(() => SftExampleReader.Read(file, "prompt", "completion"))!;
        Assert.That((e.Line, e.Message.Contains("data.completion_field")), Is.EqualTo((2, true)));
        File.WriteAllLines(file, ["{\"q\": \"1+1=\", \"a\": \"2\"}"]);
        var ok = SftExampleReader.Read(file, "q", "a");
        Assert.That(ok.Single(), Is.EqualTo(new SftExample(0, 1, "1+1=", "2")));
    }
}
