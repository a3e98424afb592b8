using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Docs;

/// <summary>Code shown in the README is code that compiles: every block marked <c>&lt;!-- snippet: PATH --&gt;</c>
/// must appear, verbatim up to whitespace, in that source file.</summary>
public sealed partial class ReadmeSnippetTests
{
    [GeneratedRegex(@"<!-- snippet: (?<path>\S+) -->\s*```\w*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [Fact]
    public void Every_marked_readme_snippet_matches_its_source_file()
    {
        var readme = File.ReadAllText(RepoPaths.File("README.md"));
        var snippets = Snippet().Matches(readme);
        Assert.NotEmpty(snippets);
        foreach (Match snippet in snippets)
        {
            var path = snippet.Groups["path"].Value;
            var source = Normalize(File.ReadAllText(RepoPaths.File(path)));
            var code = Normalize(snippet.Groups["code"].Value);
            Assert.True(source.Contains(code, StringComparison.Ordinal), $"README snippet for {path} no longer matches the source:\n{snippet.Groups["code"].Value}");
        }
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();
}
