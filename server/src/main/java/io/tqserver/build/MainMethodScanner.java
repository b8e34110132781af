package io.tqserver.build;

import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Collects, while javac analyzes a worker's sources, the binary names of the classes that declare
 * {@code public static void main(String[])}, including nested classes.
 */
final class MainMethodScanner implements TaskListener {

    private final Elements elements;
    private final Set<String> mainClasses = new LinkedHashSet<>();

    MainMethodScanner(Elements elements) {
        this.elements = elements;
    }

    /** Returns the classes found, each once, in the order javac analyzed them. */
    List<String> mainClasses() {
        return List.copyOf(mainClasses);
    }

    @Override
    public void finished(TaskEvent event) {
        if (event.getKind() == TaskEvent.Kind.ANALYZE && event.getTypeElement() != null) {
            scan(event.getTypeElement());
        }
    }

    private void scan(TypeElement type) {
        for (Element member : type.getEnclosedElements()) {
            if (member instanceof TypeElement nested) {
                scan(nested);
            } else if (member.getKind() == ElementKind.METHOD
                    && isMainMethod((ExecutableElement) member)) {
                mainClasses.add(elements.getBinaryName(type).toString());
            }
        }
    }

    private static boolean isMainMethod(ExecutableElement method) {
        Set<Modifier> modifiers = method.getModifiers();
        return method.getSimpleName().contentEquals("main")
                && modifiers.contains(Modifier.PUBLIC)
                && modifiers.contains(Modifier.STATIC)
                && method.getReturnType().getKind() == TypeKind.VOID
                && method.getParameters().size() == 1
                && isStringArray(method.getParameters().get(0).asType());
    }

    private static boolean isStringArray(TypeMirror type) {
        return type instanceof ArrayType array
                && array.getComponentType().toString().equals("java.lang.String");
    }
}
