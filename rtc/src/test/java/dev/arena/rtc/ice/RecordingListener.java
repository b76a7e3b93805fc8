package dev.arena.rtc.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

final class RecordingListener implements IceListener {
    final List<IceState> states = new ArrayList<>();
    final List<InetSocketAddress> selected = new ArrayList<>();

    @Override
    public synchronized void onStateChange(IceState s) {
        states.add(s);
    }

    @Override
    public synchronized void onSelectedAddress(InetSocketAddress a) {
        selected.add(a);
    }
}
