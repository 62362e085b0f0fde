using System.Security.Cryptography;
using System.Text;
using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>The training questions of a finetune run (data.file, or data.suite's data file), questions only.</summary>
public static class FineTuneData
{
    public static IReadOnlyList<TrainingQuestion> Load(FineTuneDataOptions data)
    {
        if (!string.IsNullOrWhiteSpace(data.File))
            return QuestionReader.Read(data.File, data.QuestionField, data.Limit);
        // A suite: its manifest says where the data is and which field holds the question. ResolveData only locates
        // and verifies the file (sha256); the questions are then read by the questions-only reader.
        var manifest = SuiteCatalog.Find(data.Suite!);
        var (path, _) = EvaluationSuite.ResolveData(manifest);
        return QuestionReader.Read(path, data.QuestionField ?? manifest.QuestionField, data.Limit, manifest.IdField);
    }

    /// <summary>sha256 over the questions' texts: a resumed run must train on the same questions.</summary>
    public static string Fingerprint(IEnumerable<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
