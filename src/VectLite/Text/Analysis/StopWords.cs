namespace VectLite.Text.Analysis;

/// <summary>
/// Stop word lists per language: words so common that they carry no meaning for ranking. Stored lowercase and
/// ASCII-folded, since the chain removes stop words after folding.
/// </summary>
/// <remarks>
/// English is Lucene's <c>EnglishAnalyzer</c> default set (33 words), so a VectLite index and a Lucene index with the
/// same chain agree term for term. The other lists are the most frequent function words of each language, taken from
/// the Snowball project's stop lists (a subset: pronouns, articles, prepositions, conjunctions, auxiliaries).
/// </remarks>
internal static class StopWords
{
    private static readonly Dictionary<string, HashSet<string>> Lists = new(StringComparer.Ordinal)
    {
        ["english"] = Set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with"),
        ["french"] = Set("au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre est sont a"),
        ["german"] = Set("aber alle als also am an auch auf aus bei bin bis bist da dass dein der den des die dem das du durch ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kein mit nach nicht noch nur oder sie sind so uber um und uns von vor war was wie wir zu zum zur"),
        ["spanish"] = Set("a al algo como con de del el ella ellos en entre era es esta este esto ha hay la las le les lo los mas me mi muy no nos o para pero por que se si sin sobre su sus te tu un una uno y ya yo"),
        ["italian"] = Set("a ad al alla alle agli ai anche che chi ci come con da dal dalla dei del della delle di e ed gli ha hanno il in io la le lei lo loro lui ma mi ne nel nella noi non o per piu quella quello questa questo se si sono su sua suo tra tu un una uno"),
        ["portuguese"] = Set("a ao aos as com como da das de do dos e ela ele eles em entre era esta este eu foi ha isso isto ja la mais mas me meu minha muito na nao nas no nos o os ou para pela pelo por que se sem seu sua suas seus so tambem te um uma"),
        ["dutch"] = Set("aan al als bij dan dat de die dit door een en er had heb het hij hoe hun ik in is je kan maar me met mij na naar niet nog nu of om omdat ons ook op over te tot uit van voor was wat we wel wie wij zal ze zich zij zijn zo"),
    };

    /// <summary>The languages that have a stop word list, for messages.</summary>
    public static IEnumerable<string> Languages => Lists.Keys;

    /// <summary>The list of <paramref name="language"/>, or null when there is none.</summary>
    public static HashSet<string>? For(string language) => Lists.GetValueOrDefault(language);

    private static HashSet<string> Set(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
