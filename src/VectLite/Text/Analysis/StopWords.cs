namespace VectLite.Text.Analysis;

/// <summary>
/// Stop word lists per language: words so common that they carry no meaning for ranking. Stored lowercase and
/// ASCII-folded, since the chain removes stop words after folding.
/// </summary>
/// <remarks>
/// English is Lucene's <c>EnglishAnalyzer</c> default set (33 words), so a VectLite index and a Lucene index with the
/// same chain agree term for term. Italian (279 words), Portuguese (203) and Dutch (101) are the Snowball lists Lucene
/// 4.8's <c>ItalianAnalyzer</c>, <c>PortugueseAnalyzer</c> and <c>DutchAnalyzer</c> load (italian_stop.txt ...), folded:
/// where folding merges two entries ("è" and "e", "está" and "esta") one is kept, and a word that folds onto an entry
/// ("sarà", "Sara") is removed as the entry is. French, German and Spanish are the most frequent function words of
/// each language, a subset of the Snowball lists (pronouns, articles, prepositions, conjunctions, auxiliaries).
/// </remarks>
internal static class StopWords
{
    private static readonly Dictionary<string, HashSet<string>> Lists = new(StringComparer.Ordinal)
    {
        ["english"] = Set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with"),
        ["french"] = Set("au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre est sont a"),
        ["german"] = Set("aber alle als also am an auch auf aus bei bin bis bist da dass dein der den des die dem das du durch ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kein mit nach nicht noch nur oder sie sind so uber um und uns von vor war was wie wir zu zum zur"),
        ["spanish"] = Set("a al algo como con de del el ella ellos en entre era es esta este esto ha hay la las le les lo los mas me mi muy no nos o para pero por que se si sin sobre su sus te tu un una uno y ya yo"),
        ["italian"] = Set("ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su sul sullo sui sugli sull sugl sulla sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perche anche come dov dove che chi cui non piu quale quanto quanti quanta quante quello quelli quella quelle questo questi questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia abbiate abbiano avro avrai avra avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo avevi aveva avevamo avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta avuti avute sono sei siamo siete sia siate siano saro sarai sara saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo faccio fai facciamo fanno faccia facciate facciano faro farai fara faremo farete faranno farei faresti farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano feci facesti fece facemmo faceste fecero facessi facesse facessimo facessero facendo sto stai sta stiamo stanno stia stiate stiano staro starai stara staremo starete staranno starei staresti starebbe staremmo stareste starebbero stavo stavi stava stavamo stavate stavano stetti stesti stette stemmo steste stettero stessi stesse stessimo stessero stando"),
        ["portuguese"] = Set("de a o que e do da em um para com nao uma os no se na por mais as dos como mas ao ele das seu sua ou quando muito nos ja eu tambem so pelo pela ate isso ela entre depois sem mesmo aos seus quem nas me esse eles voce essa num nem suas meu minha numa pelos elas qual lhe deles essas esses pelas este dele tu te voces vos lhes meus minhas teu tua teus tuas nosso nossa nossos nossas dela delas esta estes estas aquele aquela aqueles aquelas isto aquilo estou estamos estao estive esteve estivemos estiveram estava estavamos estavam estivera estiveramos esteja estejamos estejam estivesse estivessemos estivessem estiver estivermos estiverem hei ha havemos hao houve houvemos houveram houvera houveramos haja hajamos hajam houvesse houvessemos houvessem houver houvermos houverem houverei houveremos houverao houveria houveriamos houveriam sou somos sao era eramos eram fui foi fomos foram fora foramos seja sejamos sejam fosse fossemos fossem for formos forem serei sera seremos serao seria seriamos seriam tenho tem temos tinha tinhamos tinham tive teve tivemos tiveram tivera tiveramos tenha tenhamos tenham tivesse tivessemos tivessem tiver tivermos tiverem terei tera teremos terao teria teriamos teriam"),
        ["dutch"] = Set("de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere"),
    };

    /// <summary>The languages that have a stop word list, for messages.</summary>
    public static IEnumerable<string> Languages => Lists.Keys;

    /// <summary>The list of <paramref name="language"/>, or null when there is none.</summary>
    public static HashSet<string>? For(string language) => Lists.GetValueOrDefault(language);

    private static HashSet<string> Set(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
