package io.sqspii.deploy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The AWS SDK client methods our compiled code calls, read from the method references in the class files'
 * constant pools (every call site of {@code sqs.receiveMessage(...)} is one), mapped to the IAM actions
 * they need.
 */
final class SdkCalls {

    /** SDK client interfaces whose calls need an IAM permission. */
    static final Map<String, String> CLIENTS = Map.of(
            "software/amazon/awssdk/services/sqs/SqsClient", "sqs",
            "software/amazon/awssdk/services/kms/KmsClient", "kms",
            "software/amazon/awssdk/services/sts/StsClient", "sts",
            "software/amazon/awssdk/services/s3/S3Client", "s3",
            "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient", "secretsmanager");

    /** SDK methods that are no request to AWS. */
    private static final Set<String> LOCAL_METHODS =
            Set.of("close", "serviceName", "serviceClientConfiguration", "builder", "create", "utilities");

    /**
     * IAM actions of the batch APIs (AWS: a batch call is authorized as its single-message action); every other
     * method is authorized as its own name (receiveMessage → sqs:ReceiveMessage).
     */
    private static final Map<String, String> BATCH_ACTIONS = Map.of(
            "sqs:DeleteMessageBatch", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility",
            "sqs:SendMessageBatch", "sqs:SendMessage");

    private SdkCalls() {}

    /** The IAM actions of the SDK calls made by classes under {@code packagePrefix} in these jars. */
    static Set<String> iamActions(List<Path> jars, String packagePrefix) {
        Set<String> actions = new TreeSet<>();
        for (String ref : methodRefs(jars, packagePrefix)) {
            String owner = ref.substring(0, ref.indexOf('#'));
            String method = ref.substring(ref.indexOf('#') + 1);
            String service = CLIENTS.get(owner);
            if (service == null || LOCAL_METHODS.contains(method) || method.startsWith("<")) {
                continue;
            }
            String action = service + ":" + Character.toUpperCase(method.charAt(0)) + method.substring(1);
            actions.add(BATCH_ACTIONS.getOrDefault(action, action));
        }
        return actions;
    }

    /** owner#name of every method reference in the class files under {@code packagePrefix}. */
    static Set<String> methodRefs(List<Path> jars, String packagePrefix) {
        Set<String> refs = new TreeSet<>();
        String prefix = packagePrefix.replace('.', '/');
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().startsWith(prefix) && e.getName().endsWith(".class")) {
                        try (InputStream in = file.getInputStream(e)) {
                            refs.addAll(methodRefs(in));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }
        return refs;
    }

    /** Reads a class file's constant pool (JVMS §4.4) and resolves its Methodref/InterfaceMethodref entries. */
    static List<String> methodRefs(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] memberRef = new int[count][];
        int[] nameAndTypeName = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 10, 11 -> memberRef[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 9, 17, 18 -> in.readInt();
                case 12 -> {
                    nameAndTypeName[i] = in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> refs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (memberRef[i] != null) {
                String owner = utf8[classNameIndex[memberRef[i][0]]];
                String name = utf8[nameAndTypeName[memberRef[i][1]]];
                refs.add(owner + "#" + name);
            }
        }
        return refs;
    }
}
