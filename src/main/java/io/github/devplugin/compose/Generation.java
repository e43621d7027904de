package io.github.devplugin.compose;

import io.github.devplugin.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run of {@link ComposeGenerator} shares between its parts: the input, the variables the files reference,
 * the problems found (reported together) and the notes for the log.
 */
final class Generation {
  final ComposeGenerator.Input in;
  final Variables vars = new Variables();
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Generation(ComposeGenerator.Input in) {
    this.in = in;
  }

  /** Records a problem once (every environment's stack runs the same checks). */
  void problem(String element, String message, String fix) {
    Problem p = new Problem(element, message, fix);
    if (!problems.contains(p)) {
      problems.add(p);
    }
  }

  /** Adds a note for the log unless a note containing {@code key} is there already. */
  void noteOnce(String key, String note) {
    if (notes.stream().noneMatch(n -> n.contains(key))) {
      notes.add(note);
    }
  }

  void note(String note) {
    notes.add(note);
  }

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  /** A path as the compose files reference it: relative to the output directory, starting with {@code .}. */
  String relative(Path target) {
    Path from = in.outputDirectory().toAbsolutePath().normalize();
    Path to = target.toAbsolutePath().normalize();
    String rel = from.relativize(to).toString().replace('\\', '/');
    if (rel.isEmpty()) {
      return ".";
    }
    return io.github.devplugin.framework.EnvValues.Syntax.COMPOSE.escape(rel.startsWith(".") ? rel : "./" + rel);
  }
}
