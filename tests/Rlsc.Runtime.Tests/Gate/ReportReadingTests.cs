using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>The gate fails closed on a report it cannot trust: missing, corrupt, or of another schema.</summary>
public class ReportReadingTests
{
    static RlscException GateError(GateFixtures fx, string summary)
    {
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.5")]);
        return Assert.Throws<RlscException>(() => GateFixtures.Run(summary, thresholds))!;
    }

    [Test]
    public void AMissingReportFails()
    {
        using var fx = new GateFixtures();
        string path = Path.Combine(fx.Folder, "runs", "eval", "summary.json");
        var e = GateError(fx, path);
        Assert.That(e.Code, Is.EqualTo("RLSC083"));
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain("does not exist").And.Contain("RLSC_GATE_SUMMARY"));
    }

    [Test]
    public void AFolderInsteadOfAReportFails()
    {
        using var fx = new GateFixtures();
        var e = GateError(fx, fx.Folder);
        Assert.That(e.Code, Is.EqualTo("RLSC083"));
        Assert.That(e.Message, Does.Contain("is a folder"));
    }

    [Test]
    public void ATruncatedReportFailsWithItsLine()
    {
        using var fx = new GateFixtures();
        string good = File.ReadAllText(fx.Summary([("gsm8k", 1319, 0.85), ("math500", 500, 0.7)]));
        // Cut inside the second suite, as an interrupted write would.
        string path = fx.Write("truncated.json", good[..good.IndexOf("\"math500\"", StringComparison.Ordinal)]);
        var e = GateError(fx, path);
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("not valid JSON"));
        Assert.That(e.Line, Is.GreaterThanOrEqualTo(7));
        Assert.That(e.ToCanonicalString(), Does.StartWith($"{path}({e.Line}): error RLSC084: "));
    }

    [Test]
    public void AnEmptyReportFails()
    {
        using var fx = new GateFixtures();
        var e = GateError(fx, fx.Write("empty.json", "  \n"));
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("empty"));
    }

    [Test]
    public void BinaryGarbageFails()
    {
        using var fx = new GateFixtures();
        var bytes = new byte[512];
        new Random(3).NextBytes(bytes);
        string path = Path.Combine(fx.Folder, "garbage.json");
        File.WriteAllBytes(path, bytes);
        Assert.That(GateError(fx, path).Code, Is.EqualTo("RLSC084"));
    }

    [TestCase("\"accuracy\": 0.85", "\"accuracy\": \"0.85\"", "suites.gsm8k.accuracy", "must be a number")]
    [TestCase("\"accuracy\": 0.85", "\"accuracy\": 85.0", "suites.gsm8k.accuracy", "fraction in [0, 1]")]
    [TestCase("\"count\": 1319, ", "", "suites.gsm8k.count", "is missing")]
    [TestCase("\"count\": 1319", "\"count\": 0", "suites.gsm8k.count", "greater than 0")]
    [TestCase("\"name\": \"test/model\"", "\"id\": \"test/model\"", "model.name", "is missing")]
    [TestCase("\"created\": null", "\"created\": \"yesterday\"", "created", "ISO 8601")]
    public void AFieldOfTheWrongTypeFailsNamingFieldAndLine(string from, string to, string field, string expected)
    {
        using var fx = new GateFixtures();
        string good = File.ReadAllText(fx.Summary([("gsm8k", 1319, 0.85)]));
        Assert.That(good, Does.Contain(from), "the fixture must contain the text the case replaces");
        string path = fx.Write("bad.json", good.Replace(from, to));
        var e = GateError(fx, path);
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain($"`{field}`").And.Contain(expected));
        Assert.That(e.Line, Is.Not.Null);
    }

    [Test]
    public void AnotherSchemaFails()
    {
        using var fx = new GateFixtures();
        string path = fx.Summary([("gsm8k", 1319, 0.85)], schema: "rlsc.eval.summary/v2");
        var e = GateError(fx, path);
        Assert.That(e.Code, Is.EqualTo("RLSC085"));
        Assert.That(e.Message, Does.Contain("\"rlsc.eval.summary/v2\"").And.Contain("expected \"rlsc.eval.summary/v1\""));
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void AReportWithoutASchemaFails()
    {
        using var fx = new GateFixtures();
        string path = fx.Write("noschema.json", "{ \"model\": { \"name\": \"m\" }, \"settings\": {}, \"suites\": { \"gsm8k\": { \"count\": 1, \"accuracy\": 1 } } }");
        Assert.That(GateError(fx, path).Code, Is.EqualTo("RLSC085"));
    }

    [Test]
    public void LineMapFindsNestedFields()
    {
        byte[] json = "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      {\"d\": 2},\n      3\n    ],\n    \"e\": \"x\"\n  }\n}\n"u8.ToArray();
        var map = JsonLineMap.Build(json, allowComments: false);
        Assert.That(map.LineOf("a"), Is.EqualTo(2));
        Assert.That(map.LineOf("b"), Is.EqualTo(3));
        Assert.That(map.LineOf("b.c"), Is.EqualTo(4));
        Assert.That(map.LineOf("b.c.0.d"), Is.EqualTo(5));
        Assert.That(map.LineOf("b.c.1"), Is.EqualTo(6));
        Assert.That(map.LineOf("b.e"), Is.EqualTo(8));
        Assert.That(map.LineOf("b.unknown"), Is.EqualTo(3), "an unknown field falls back to its parent's line");
    }
}
