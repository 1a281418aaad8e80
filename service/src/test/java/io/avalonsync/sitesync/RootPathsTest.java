package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class RootPathsTest {

    static final String TEMPLATE = "{root[work]}/Test/Assets/Cylinder/publish/look/lookMain/v010/test_Cylinder_lookMain_v010.ma";

    @Test
    void namedRootsResolveOnBothSides() {
        Properties props = new Properties();
        props.setProperty("sitesync.roots.work", "/mnt/projects");
        props.setProperty("sitesync.roots.render", "/mnt/render/");
        props.setProperty("gdrive.roots.work", "/My Drive/work");
        props.setProperty("sitesync.enabled", "true");

        RootPaths local = RootPaths.fromProperties(props, "sitesync.roots");
        RootPaths remote = RootPaths.fromProperties(props, "gdrive.roots.");

        assertEquals(Map.of("work", "/mnt/projects", "render", "/mnt/render"), local.roots());
        assertEquals(Path.of("/mnt/projects/Test/Assets/Cylinder/publish/look/lookMain/v010/test_Cylinder_lookMain_v010.ma"),
                local.local(TEMPLATE));
        assertEquals("/mnt/render/Test/x.exr", local.resolve("{root[render]}/Test/x.exr"));
        assertEquals("/My Drive/work/Test/Assets/Cylinder/publish/look/lookMain/v010/test_Cylinder_lookMain_v010.ma",
                remote.remote(TEMPLATE));
        RootPaths.RemoteFile rf = remote.remoteFile(TEMPLATE);
        assertEquals("/My Drive/work/Test/Assets/Cylinder/publish/look/lookMain/v010", rf.folder());
        assertEquals("test_Cylinder_lookMain_v010.ma", rf.name());
        assertEquals(remote.remote(TEMPLATE), rf.path());
    }

    @Test
    void bareRootNeedsExactlyOneRoot() {
        assertEquals("/SharedProjects/studio/Test/a.ma",
                new RootPaths(Map.of("work", "/SharedProjects/studio")).remote("{root}/Test/a.ma"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RootPaths(Map.of("work", "/a", "render", "/b")).resolve("{root}/Test/a.ma"));
        assertTrue(e.getMessage().contains("{root}/Test/a.ma") && e.getMessage().contains("exactly one"), e.getMessage());
    }

    @Test
    void missingRootIsNamedWithTheTemplateAndTheKey() {
        RootPaths local = RootPaths.fromProperties(Map.of("sitesync.roots.render", "/mnt/render"), "sitesync.roots");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> local.local(TEMPLATE));
        assertTrue(e.getMessage().contains(TEMPLATE), e.getMessage());
        assertTrue(e.getMessage().contains("root 'work'"), e.getMessage());
        assertTrue(e.getMessage().contains("sitesync.roots.work"), e.getMessage());
    }

    @Test
    void otherPlaceholdersAndBrokenTemplatesAreRejected() {
        RootPaths roots = new RootPaths(Map.of("work", "/mnt/projects"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolve("{root[work]}/{project[name]}/a.ma"));
        assertTrue(e.getMessage().contains("{project[name]}"), e.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> roots.resolve("{root[work]/Test/a.ma"));
        assertTrue(open.getMessage().contains("{root[work]/Test/a.ma"), open.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RootPaths(Map.of("work", " ")));
    }

    @Test
    void remotePathsAreSlashJoined() {
        RootPaths remote = new RootPaths(Map.of("work", "/Studio Shared/work/"));
        assertEquals("/Studio Shared/work/Test/sub/a.ma", remote.remote("{root[work]}\\Test//sub/a.ma"));
        assertEquals("/Studio Shared/work", RootPaths.split("/Studio Shared/work/a.ma").folder());
        assertThrows(IllegalArgumentException.class, () -> RootPaths.split("a.ma"));
        assertThrows(IllegalArgumentException.class, () -> RootPaths.split("/folder/"));
    }
}
