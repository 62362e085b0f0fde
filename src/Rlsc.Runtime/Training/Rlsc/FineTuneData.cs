using System.Security.Cryptography;
using System.Text;

namespace Rlsc.Training;

/// <summary>The training questions of a finetune run (data.file, or data.suite's data file), questions only.</summary>
public static class FineTuneData
{
    public static IReadOnlyList<TrainingQuestion> Load(FineTuneDataOptions data)
    {
        if (!string.IsNullOrWhiteSpace(data.File))
            return QuestionReader.Read(data.File, data.QuestionField, data.Limit);
        throw new RlscException(ErrorCodes.InvalidArgument,
            $"data.suite '{data.Suite}': suites are not available in this build yet; set data.file to the suite's JSONL file instead.");
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
