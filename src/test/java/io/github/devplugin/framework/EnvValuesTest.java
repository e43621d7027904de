package io.github.devplugin.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.framework.EnvValues.Reference;
import io.github.devplugin.framework.EnvValues.Syntax;
import io.github.devplugin.framework.EnvValues.Text;
import io.github.devplugin.framework.EnvValues.Value;
import org.junit.jupiter.api.Test;

/** The rule itself: how a configured value is read, and how each output writes its literal text. */
class EnvValuesTest {
  @Test
  void aValueIsReadOnceIntoLiteralTextAndReferences() {
    Value v = Value.parse("a$$b ${X} $Y_1 ${Z:-d} 5$ ${} $(W) $1");
    assertThat(v.parts()).containsExactly(new Text("a$b "), new Reference("X", "${X}"), new Text(" "),
        new Reference("Y_1", "${Y_1}"), new Text(" "), new Reference("Z", "${Z:-d}"), new Text(" 5$ ${} $(W) $1"));
    assertThat(v.references()).containsExactly("X", "Y_1", "Z");
    assertThat(Value.parse("$$$$").parts()).containsExactly(new Text("$$"));
    assertThat(Value.parse("").parts()).isEmpty();
  }

  @Test
  void eachOutputEscapesLiteralTextForItsReaderAndWritesReferencesAsItsResolverSays() {
    Value v = Value.parse("\"q\" \\ $$(X) ${P}");
    assertThat(v.render(Syntax.PLAIN, r -> "8080")).isEqualTo("\"q\" \\ $(X) 8080");
    assertThat(v.render(Syntax.COMPOSE, r -> r.token())).isEqualTo("\"q\" \\ $$(X) ${P}");
    assertThat(v.render(Syntax.KUBERNETES, r -> "$(" + r.name() + ")")).isEqualTo("\"q\" \\ $$(X) $(P)");
    assertThat(v.render(Syntax.DOCKERFILE, r -> "8080")).isEqualTo("\\\"q\\\" \\\\ \\$(X) 8080");
  }

  @Test
  void controlCharactersOtherThanTabAreNamed() {
    assertThat(EnvValues.controlCharacter("a\tb 🚀 \u202E")).isEmpty();
    assertThat(EnvValues.controlCharacter("a\nb")).contains("a line feed (U+000A)");
    assertThat(EnvValues.controlCharacter("a\rb")).contains("a carriage return (U+000D)");
    assertThat(EnvValues.controlCharacter("a\u0000")).contains("a control character (U+0000)");
    assertThat(EnvValues.controlCharacter("a\u0085")).contains("a control character (U+0085)");
  }
}
