package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BaseImageTest {
  @Test
  void parsesEachKindOnceAndKeepsTheConfiguredText() {
    BaseImage registry = BaseImage.parse("127.0.0.1:5000/base/jre:17");
    assertThat(registry).isInstanceOf(BaseImage.Registry.class).hasToString("127.0.0.1:5000/base/jre:17");
    assertThat(((BaseImage.Registry) registry).reference().getRegistry()).isEqualTo("127.0.0.1:5000");
    assertThat(((BaseImage.Registry) registry).reference().getRepository()).isEqualTo("base/jre");

    assertThat(BaseImage.parse("tar:///tmp/base.tar")).isEqualTo(new BaseImage.Tar(Path.of("/tmp/base.tar")))
        .hasToString("tar:///tmp/base.tar");
    assertThat(BaseImage.parse("docker://localhost/jre:17")).isEqualTo(new BaseImage.Engine("localhost/jre:17"))
        .hasToString("docker://localhost/jre:17");
    assertThat(BaseImage.parse("jlink")).isEqualTo(new BaseImage.Jlink()).hasToString("jlink");
  }

  @Test
  void anInvalidReferenceNamesTheElementAndProperty() {
    assertThatThrownBy(() -> BaseImage.parse("Not A/Reference"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<image><from> (-Ddevplugin.image.from) 'Not A/Reference' is not a valid image reference")
        .hasMessageContaining("Fix:");
  }
}
